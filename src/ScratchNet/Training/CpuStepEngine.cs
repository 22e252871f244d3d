using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// The host's step engine: the model, the loss and the optimizer run their own kernels on the host's
/// tensors, one batch copied from the dataset at a time. A step whose loss is not finite stops before
/// the backward pass, so the weights stay those that produced it.
/// </summary>
internal sealed class CpuStepEngine : IStepEngine
{
    private readonly Model _model;
    private readonly TrainerOptions _options;
    private readonly Dataset _train;
    private readonly BatchBuffers _buffers;
    private readonly Regularization? _regularization;
    private readonly bool _classify, _sequence, _addsLoss;
    private readonly int[] _positionClasses;
    private int[] _order = [];
    private StepOutcome _outcome;

    public CpuStepEngine(Model model, TrainerOptions options, Dataset train, int batchSize)
    {
        _model = model;
        _options = options;
        _train = train;
        _buffers = new BatchBuffers(train, batchSize);
        _regularization = options.Regularization is { IsEmpty: false } r ? r : null;
        _classify = train.ClassCount > 0;
        _addsLoss = model.NamedLayers.Any(l => l.Layer is IAddedLoss);
        _sequence = _classify && train.TargetShape.Length > 0;
        _positionClasses = _sequence ? new int[batchSize * train.TargetShape[0]] : [];
    }

    public string Device => "cpu";

    public void BeginEpoch(ReadOnlySpan<int> order)
    {
        if (_order.Length != order.Length) _order = new int[order.Length]; // once per Fit: epochs do not allocate
        order.CopyTo(_order);
    }

    public void Step(int start, int count, float learningRate)
    {
        var o = _options;
        IReadOnlyList<Parameter> parameters = _model.Parameters;
        var (x, y) = _buffers.Fill(_train, _order.AsSpan(start, count));

        Tensor output = _model.Forward(x, training: true);
        float loss = o.Loss.Forward(output, y);
        if (_addsLoss) loss = (float)((double.IsNaN(o.Loss.LastValue) ? loss : o.Loss.LastValue) + _model.AddedLoss());
        if (_regularization is not null) loss += (float)_regularization.Penalty(parameters);
        int correct = 0, decided = 0;
        if (float.IsFinite(loss) && _sequence)
            (correct, decided) = ClassDecision.DecidePositions(output, _train.ClassCount, y, _positionClasses.AsSpan(0, y.Length));
        else if (float.IsFinite(loss) && _classify)
        {
            var classes = _buffers.Predicted.AsSpan(0, count);
            ClassDecision.Decide(output, classes, o.BinaryThreshold);
            correct = ClassDecision.CountCorrect(classes, y);
            decided = count;
        }
        _outcome = new StepOutcome(loss, correct, decided);
        if (!float.IsFinite(loss)) return; // the trainer reports it; the weights stay those that gave it

        _model.Backward(o.Loss.Backward(), inputGradient: false); // nothing needs dL/dx of the data
        if (_regularization is not null)
        {
            _regularization.AddPenaltyGradients(parameters);
            _regularization.ApplyDecoupledDecay(parameters, learningRate);
        }
        if (o.ClipGradientNorm is { } clip) GradientClipping.ClipByGlobalNorm(parameters, clip);
        o.Optimizer.Step(parameters);
    }

    public StepOutcome ReadOutcome() => _outcome;

    public void CopyToHost() { }

    public void Dispose() { }
}
