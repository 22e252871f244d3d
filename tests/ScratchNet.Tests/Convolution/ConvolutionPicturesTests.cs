using ScratchNet.Layers;
using ScratchNet.Plotting;
using ScratchNet.Tensors;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Convolution;

public class ConvolutionPicturesTests
{
    [Fact]
    public void FiltersAndFeatureMapsBecomePngFiles()
    {
        var model = CnnModels.SmallCnn().Build(CnnModels.InputShape, 1UL);
        var conv = (ScratchNet.Layers.Conv2D)model.Layers[0];
        var filters = ConvolutionPictures.Filters(conv);
        // 32 tiles of 5x5 at 8 px with 2 px gaps, 8 per row: 8*(40+2)+2 wide, 4*(40+2)+2 high.
        Assert.Equal((8 * 42 + 2, 4 * 42 + 2), (filters.Width, filters.Height));

        var image = new Tensor(1, 28, 28);
        for (int h = 4; h < 24; h++) image[h * 28 + 14] = 1f; // a vertical stroke
        var maps = ConvolutionPictures.FeatureMaps(model, image, layerIndex: 1, maxMaps: 16);
        Assert.Equal((8 * (24 * 4 + 2) + 2, 2 * (24 * 4 + 2) + 2), (maps.Width, maps.Height));

        string dir = Path.Combine(Path.GetTempPath(), "scratchnet-conv-pictures-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "filters.png");
            ConvolutionPictures.SaveFilters(path, conv);
            ConvolutionPictures.SaveFeatureMaps(Path.Combine(dir, "maps.png"), model, image, 4);
            byte[] png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.True(File.Exists(Path.Combine(dir, "maps.png")));
            Assert.Throws<ArgumentException>(() => ConvolutionPictures.FeatureMaps(model, image, 6)); // Flatten output is not maps
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
