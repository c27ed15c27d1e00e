using System.CommandLine;
using System.Globalization;
using Graft.IO;
using Graft.Layers;
using Graft.Models;
using Graft.Reports;

namespace Graft.Cli.Commands;

/// <summary><c>graft models</c>: the zoo, with parameters, input size, published weights and whether they are cached.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("models", "List the model zoo: parameters, input size, published weights with their ImageNet top-1, licence, and what is cached");
        command.SetAction(result =>
        {
            var ui = GlobalOptions.Ui(result);
            var rows = Zoo.All.Select(Describe).ToList();
            if (ui.Json)
            {
                ui.WriteJson(rows);
                return ExitCodes.Success;
            }
            var table = new Table("model", "parameters", "input", "weights (ImageNet top-1)", "licence", "cached");
            foreach (var row in rows)
                table.Add(row.Name, row.Parameters.ToString("N0", CultureInfo.InvariantCulture), $"{row.InputChannels}×{row.InputSize}×{row.InputSize}",
                    row.Weights.Count == 0 ? "none published" : string.Join(", ", row.Weights.Select(w => w.Top1 is double top1
                        ? string.Create(CultureInfo.InvariantCulture, $"{w.Tag} ({top1:0.0}%)") : w.Tag)),
                    row.CodeLicence,
                    row.Weights.Count == 0 ? "-" : row.Weights.Any(w => w.Cached) ? string.Join(", ", row.Weights.Where(w => w.Cached).Select(w => w.Tag)) : "no");
            ui.Show(table);
            foreach (var licence in rows.SelectMany(r => r.Weights).Select(w => w.WeightsLicence).Distinct())
                ui.Note($"Weights licence: {licence}.");
            ui.Note($"Cache: {GraftHome.Weights}. Download with 'graft fetch MODEL'; train with 'graft train --model MODEL'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ModelRow Describe(ModelSpec spec) => new(
        spec.Name,
        spec.Default?.Meta.Parameters ?? CountParameters(spec),
        spec.InputSize,
        spec.InputChannels,
        spec.Default?.Meta.CodeLicence ?? "MIT (Graft)",
        spec.Paper,
        spec.Weights.Select(w => new WeightsRow(w.Name, spec.FullName(w), w.Meta.Top1, w.Meta.Top5, w.Name == spec.DefaultWeightsName,
            File.Exists(Downloader.CachedPath(w.File)), w.Url, w.Meta.WeightsLicence)).ToList());

    // Architectures without published weights have no published count: build one (they are small) and count.
    private static long CountParameters(ModelSpec spec)
    {
        using var model = spec.Create();
        return WeightCounts.Of(model).Parameters;
    }

    private sealed record ModelRow(string Name, long Parameters, int InputSize, int InputChannels, string CodeLicence, string Paper,
        IReadOnlyList<WeightsRow> Weights);

    private sealed record WeightsRow(string Tag, string FullName, double? Top1, double? Top5, bool Default, bool Cached, string Url,
        string WeightsLicence);
}
