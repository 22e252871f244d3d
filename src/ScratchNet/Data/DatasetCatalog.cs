namespace ScratchNet.Data;

/// <summary>
/// The datasets ScratchNet knows by name, with the SHA-256 of each file's decompressed bytes
/// (see data/README.md for origins and licences).
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The names of the four MNIST-format files, without ".gz".</summary>
    public static readonly string[] IdxFileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The names of the synthetic 2-D sets.</summary>
    public static readonly string[] SyntheticNames = ["xor", "circles", "moons", "spirals", "gaussians", "xor-table"];

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Fashion-MNIST's ten classes, in label order.</summary>
    public static readonly string[] FashionClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST.</summary>
    public static readonly DatasetInfo Mnist = new(
        "mnist", DatasetKind.Images,
        "Handwritten digits, 28 x 28 grey-scale, 60,000 training and 10,000 test images, 10 classes (shipped)",
        "classification", Digits,
        [
            new("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016),
            new("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008),
            new("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016),
            new("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008),
        ],
        "Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0")
    {
        Shipped = true,
        // For library users without the tool: PyTorch's and TensorFlow's copies (the original site is often down).
        DownloadMirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
    };

    /// <summary>Fashion-MNIST.</summary>
    public static readonly DatasetInfo FashionMnist = new(
        "fashion-mnist", DatasetKind.Images,
        "Zalando clothing images, 28 x 28 grey-scale, 60,000 training and 10,000 test images, 10 classes (found locally or downloaded)",
        "classification", FashionClassNames,
        [
            new("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
            new("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
            new("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
            new("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008),
        ],
        "Han Xiao, Kashif Rasul, Roland Vollgraf (Zalando Research); MIT licence, Copyright 2017 Zalando SE")
    {
        DownloadMirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"],
    };

    /// <summary>TV advertising budget and sales (ISLR), regression of Sales on TV.</summary>
    public static readonly DatasetInfo TvMarketing = new(
        "tv-marketing", DatasetKind.Table,
        "200 markets: Sales (thousands of units) against TV budget (thousands of dollars); regression (shipped)",
        "regression", [],
        [new("tvmarketing.csv", "d2e933efe50b95b8c976c2789dfa1d7b521abc47f09a8d10b13f9cc8c9960a6b", 2_026)],
        "An Introduction to Statistical Learning (James, Witten, Hastie, Tibshirani), Advertising data; no licence stated")
    { Shipped = true, DefaultTarget = "Sales" };

    /// <summary>TV, radio and newspaper budgets and sales (ISLR), regression of sales.</summary>
    public static readonly DatasetInfo Advertising = new(
        "advertising", DatasetKind.Table,
        "200 markets: sales against TV, radio and newspaper budgets; regression (shipped)",
        "regression", [],
        [new("advertising.csv", "a2b5a9209f323aa478ba7a0daeab32641f80cf37f7c2803349a5cb371ccf9507", 4_562)],
        "An Introduction to Statistical Learning (James, Witten, Hastie, Tibshirani), Advertising data; no licence stated")
    { Shipped = true, DefaultTarget = "sales", IgnoredColumns = ["Sr. No."] };

    /// <summary>US baby names of 2018 (makemore's names.txt), one lower-case name a line.</summary>
    public static readonly DatasetInfo Names = new(
        "names", DatasetKind.Text,
        "32,033 US baby names of 2018, one lower-case name a line (makemore's names.txt); a text corpus (shipped)",
        "text", [],
        [new("names.txt", "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d", 228_145)],
        "US Social Security Administration (public domain), as collected in karpathy/makemore (MIT)")
    { Shipped = true, TextLayout = TextLayout.Lines };

    /// <summary>Tiny Shakespeare (char-rnn's input.txt), about 40,000 lines of the plays.</summary>
    public static readonly DatasetInfo TinyShakespeare = new(
        "tiny-shakespeare", DatasetKind.Text,
        "About 40,000 lines of Shakespeare's plays, 1,115,394 characters of 65 kinds (char-rnn's input.txt); a text corpus (shipped)",
        "text", [],
        [new("tinyshakespeare.txt", "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394)],
        "Shakespeare (public domain), as collected in karpathy/char-rnn (MIT)")
    { Shipped = true };

    /// <summary>House sales in Ames, Iowa (De Cock 2011), regression of Sale_Price on 73 numeric and text columns.</summary>
    public static readonly DatasetInfo Ames = new(
        "ames", DatasetKind.Table,
        "2,930 house sales in Ames, Iowa, 2006-2010: Sale_Price (dollars) against 73 columns, 40 of them text; regression (shipped)",
        "regression", [],
        [new("ames.csv", "194277eff83bf330bc4f44f95f191e6331e6fd17428dc98516ca75c2a555cd14", 1_503_718)],
        "De Cock (2011), Ames Iowa housing data, via the R package modeldata 1.1.0 (MIT)")
    { Shipped = true, DefaultTarget = "Sale_Price" };

    /// <summary>IBM's telecom customer churn sample, binary classification of churn with text columns and missing cells.</summary>
    public static readonly DatasetInfo Churn = new(
        "churn", DatasetKind.Table,
        "7,043 telecom customers: churn (Yes/No, 26.5 % Yes) against 19 columns, text and numeric, 11 missing total_charges; classification (shipped)",
        "classification", ["No", "Yes"],
        [new("wa_churn.csv", "d4323faeaab5cd2826e22eab230ec489d9e210f56ac5505750fb4721fa230ef3", 975_663)],
        "IBM Watson Analytics telco customer churn sample, via the R package modeldata 1.1.0 (MIT)")
    { Shipped = true, DefaultTarget = "churn" };

    /// <summary>Every named dataset, in display order.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } =
    [
        Mnist, FashionMnist, TvMarketing, Advertising, Ames, Churn, Names, TinyShakespeare,
        Synthetic("xor", "Two classes by the sign of x * y, uniform points in [-1, 1]^2 (noise flips nothing; it jitters points)"),
        Synthetic("circles", "Two concentric circles (radius 1 and 0.5), two classes"),
        Synthetic("moons", "Two interleaving half circles, two classes"),
        Synthetic("spirals", "Interleaved spiral arms, 3 classes by default (--classes)"),
        Synthetic("gaussians", "Gaussian blobs around points on a circle, 3 classes by default (--classes)"),
        new("xor-table", DatasetKind.Synthetic, "The four points of the XOR truth table, (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, as both training and test set",
            "classification", ["0", "1"], [], "the XOR truth table"),
    ];

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DatasetInfo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? (string.Equals(name, "tvmarketing", StringComparison.OrdinalIgnoreCase) ? TvMarketing : null);

    private static DatasetInfo Synthetic(string name, string description) =>
        new(name, DatasetKind.Synthetic, description + "; generated from --seed", "classification", [], [], "generated by ScratchNet");
}
