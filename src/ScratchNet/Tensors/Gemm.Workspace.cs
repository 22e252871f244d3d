using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Tensors;

public static partial class Gemm
{
    /// <summary>
    /// One thread's packing buffers, kept for the thread's life and grown only when a larger panel
    /// is needed, so a repeated GEMM of the same shape allocates nothing. Arrays live on the pinned
    /// heap (their address never moves) and pointers into them are aligned to 64 bytes.
    /// </summary>
    private sealed unsafe class Workspace
    {
        [ThreadStatic] private static Workspace? t_current;

        private float[] _a = [], _b = [];
        private float* _aPtr, _bPtr;
        private readonly float[] _tile;

        /// <summary>Scratch for one MR x NR edge tile (row stride NR).</summary>
        public readonly float* Tile;

        private Workspace(Blocking bl)
        {
            _tile = Allocate(bl.MR * bl.NR, out Tile);
        }

        public static Workspace ForCurrentThread(Blocking bl) => t_current ??= new Workspace(bl);

        public float* PackedA(int length)
        {
            if (_a.Length < length + 16) _a = Allocate(length, out _aPtr);
            return _aPtr;
        }

        public float* PackedB(int length)
        {
            if (_b.Length < length + 16) _b = Allocate(length, out _bPtr);
            return _bPtr;
        }

        private static float[] Allocate(int length, out float* aligned)
        {
            var array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            aligned = (float*)((address + 63) & ~(nint)63);
            return array;
        }
    }
}
