namespace ScratchNet.Tests.Support;

/// <summary>
/// Tests in <c>[Collection(Allocations.Serial)]</c> run alone, after the parallel ones, so that
/// process-wide measurements (allocations on all threads, timings) see only their own work.
/// </summary>
[CollectionDefinition(Allocations.Serial, DisableParallelization = true)]
public sealed class SerialCollection { }
