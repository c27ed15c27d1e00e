using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>One row of a <see cref="ModelSummary"/>.</summary>
/// <param name="Depth">Nesting depth: 0 for the model's own layers, 1 for the layers of a nested model, …</param>
/// <param name="Name">The layer name.</param>
/// <param name="Type">The module type.</param>
/// <param name="OutputShape">The layer's output shape for the summarised input, batch dimension included.</param>
/// <param name="Parameters">Parameter scalars held by the layer.</param>
/// <param name="Trainable">Whether the layer is trainable (see <see cref="Layer.Trainable"/>).</param>
public sealed record SummaryRow(int Depth, string Name, string Type, long[]? OutputShape, long Parameters, bool Trainable);

/// <summary>
/// Keras' <c>model.summary()</c>: each layer with its type, output shape for a given input shape, parameter
/// count and trainable state, nested models indented, and totals.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(string name, long[] inputShape, IReadOnlyList<SummaryRow> rows, WeightCounts totals)
    {
        Name = name;
        InputShape = inputShape;
        Rows = rows;
        Totals = totals;
    }

    /// <summary>The summarised model's name.</summary>
    public string Name { get; }

    /// <summary>The input shape the output shapes were computed for.</summary>
    public long[] InputShape { get; }

    /// <summary>The rows, in forward order, nested layers after their parent.</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>Totals over the whole model.</summary>
    public WeightCounts Totals { get; }

    /// <summary>
    /// Summarises <paramref name="network"/> by running one forward pass on zeros of <paramref name="inputShape"/>
    /// (batch dimension included, e.g. <c>[1, 3, 224, 224]</c>) under no-grad. The train/eval state of every
    /// module is restored afterwards and no weight or statistic changes.
    /// </summary>
    public static ModelSummary Of(Network network, params long[] inputShape)
    {
        var rows = new List<(int Depth, Layer Layer)>();
        Collect(network.Layers, 0, rows);
        var shapes = new Dictionary<nn.Module, long[]>(ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();
        var modes = network.modules().Prepend(network).Select(m => (Module: m, m.training)).ToList();
        try
        {
            foreach (var (_, layer) in rows)
            {
                if (layer.Module is not nn.Module<Tensor, Tensor> hookable) continue;
                var remover = hookable.register_forward_hook((module, _, output) =>
                {
                    shapes[module] = output.shape;
                    return output;
                });
                removers.Add(remover.remove);
            }
            network.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            using var input = torch.zeros(inputShape, device: ParameterDevice(network));
            network.call(input);
        }
        finally
        {
            foreach (var remove in removers) remove();
            foreach (var (module, training) in modes) module.train(training);
        }
        var summaryRows = rows.Select(r => new SummaryRow(r.Depth, r.Layer.Name, r.Layer.TypeName,
            shapes.GetValueOrDefault(r.Layer.Module), r.Layer.ParameterCount, r.Layer.Trainable)).ToList();
        return new ModelSummary(network.GetName(), inputShape, summaryRows, WeightCounts.Of(network));
    }

    /// <summary>The summary as a plain-text table.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        string Shape(long[]? s) => s is null ? "-" : "(" + string.Join(", ", s) + ")";
        var lines = Rows.Select(r => (Name: new string(' ', 2 * r.Depth) + r.Name + " (" + r.Type + ")",
            Shape: Shape(r.OutputShape), Params: r.Parameters.ToString("N0"), Train: r.Trainable ? "yes" : "no")).ToList();
        int w1 = Math.Max(18, lines.Max(l => l.Name.Length)), w2 = Math.Max(12, lines.Max(l => l.Shape.Length)),
            w3 = Math.Max(10, lines.Max(l => l.Params.Length));
        text.AppendLine($"Model: {Name}   input {Shape(InputShape)}");
        text.AppendLine($"{"Layer (type)".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Params".PadLeft(w3)}  Trainable");
        text.AppendLine(new string('=', w1 + w2 + w3 + 15));
        foreach (var l in lines)
            text.AppendLine($"{l.Name.PadRight(w1)}  {l.Shape.PadRight(w2)}  {l.Params.PadLeft(w3)}  {l.Train}");
        text.AppendLine(new string('=', w1 + w2 + w3 + 15));
        text.AppendLine($"Total params: {Totals.Parameters:N0}");
        text.AppendLine($"Trainable params: {Totals.TrainableParameters:N0}");
        text.AppendLine($"Non-trainable params: {Totals.FrozenParameters:N0}");
        text.AppendLine($"Non-trainable state (BatchNorm statistics and counters): {Totals.BufferScalars:N0}");
        return text.ToString();
    }

    private static void Collect(LayerList layers, int depth, List<(int, Layer)> rows)
    {
        foreach (var layer in layers)
        {
            rows.Add((depth, layer));
            if (layer.Module is Network nested) Collect(nested.Layers, depth + 1, rows);
        }
    }

    private static Device ParameterDevice(nn.Module module) =>
        module.parameters().FirstOrDefault()?.device ?? Graft.Native.Compute.Device;
}
