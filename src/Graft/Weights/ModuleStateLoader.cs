using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>Matches a state dict's keys and shapes against a module's, then copies the tensors in.</summary>
internal static class ModuleStateLoader
{
    public static LoadReport Load(StateDict source, nn.Module module, bool strict, Func<string, string?>? remap)
    {
        Dictionary<string, Tensor> destinations = module.state_dict();

        var mapped = new Dictionary<string, string>(StringComparer.Ordinal); // model key -> file key
        foreach (string fileKey in source.Keys)
        {
            string? modelKey = remap is null ? fileKey : remap(fileKey);
            if (modelKey is null) continue;
            if (!mapped.TryAdd(modelKey, fileKey))
                throw new ArgumentException(
                    $"The key remapping sends both '{mapped[modelKey]}' and '{fileKey}' to '{modelKey}'{source.Describe()}.",
                    nameof(remap));
        }

        var loaded = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        foreach (var (modelKey, fileKey) in mapped)
        {
            if (!destinations.TryGetValue(modelKey, out Tensor? destination)) continue;
            Tensor tensor = source[fileKey];
            if (tensor.shape.SequenceEqual(destination.shape))
                loaded.Add(modelKey);
            else
                mismatches.Add(new ShapeMismatch(modelKey, tensor.shape, destination.shape));
        }
        var missing = destinations.Keys.Where(k => !mapped.ContainsKey(k)).ToList();
        var unexpected = mapped.Keys.Where(k => !destinations.ContainsKey(k)).ToList();
        var report = new LoadReport(loaded, missing, unexpected, mismatches);

        if (strict && !report.IsExact) throw new StateDictMismatchException(report, source.SourcePath);

        using (torch.no_grad())
        {
            foreach (string modelKey in loaded) destinations[modelKey].copy_(source[mapped[modelKey]]);
        }
        return report;
    }
}
