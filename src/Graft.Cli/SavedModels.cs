using Graft.Models;
using Graft.Training;
using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Cli;

/// <summary>Reads models saved by <c>graft train</c> (safetensors with Graft's metadata).</summary>
internal static class SavedModels
{
    /// <summary>True when <paramref name="path"/> is a safetensors file carrying Graft's model metadata.</summary>
    public static bool IsGraftModel(string path)
    {
        try
        {
            return SafeTensors.ReadHeader(path).Metadata.ContainsKey("graft.architecture");
        }
        catch (WeightFileException)
        {
            return false;
        }
    }

    /// <summary>Loads a saved model with its metadata and the preprocessing it was trained with.</summary>
    /// <exception cref="UsageException">When the file does not exist or is not a Graft model.</exception>
    public static (nn.Module<Tensor, Tensor> Model, ModelInfo Info, Preprocessing Preprocessing) Load(string path, ConsoleUi ui)
    {
        string full = Path.GetFullPath(Graft.IO.GraftHome.ExpandHome(path));
        if (!File.Exists(full))
            throw new UsageException($"Model file '{path}' does not exist (looked for '{full}'). Give the model.safetensors that 'graft train' wrote.");
        if (!IsGraftModel(full))
            throw new UsageException($"'{path}' is not a model saved by Graft (it has no Graft metadata). Give the model.safetensors that 'graft train' wrote, "
                + "or for a plain weight file name its architecture: --model ARCH --weights FILE.");
        var (model, info) = SavedModel.Load(full);
        return (model, info, PreprocessingOf(info, path, ui));
    }

    /// <summary>The preprocessing a saved model records, or its architecture's when it records none.</summary>
    public static Preprocessing PreprocessingOf(ModelInfo info, string path, ConsoleUi ui)
    {
        if (info.Preprocessing is { } json)
        {
            try
            {
                return Preprocessing.FromJson(json);
            }
            catch (FormatException e)
            {
                ui.Warn($"{path}: {e.Message}");
            }
        }
        if (Zoo.Names.Contains(info.Architecture, StringComparer.OrdinalIgnoreCase))
        {
            var fallback = Zoo.Find(info.Architecture).Preprocessing;
            ui.Warn($"{path} records no usable preprocessing; using {info.Architecture}'s ({fallback}).");
            return fallback;
        }
        throw new InvalidDataException($"{path} records no preprocessing and '{info.Architecture}' is not a zoo architecture, so Graft cannot tell how to prepare images for it.");
    }
}
