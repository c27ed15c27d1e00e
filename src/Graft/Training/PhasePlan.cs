using Graft.Data;
using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// What a phase trains and on which data: the whole model on the learner's sources, or, when features can be
/// cached, only the head on features computed once by the frozen base.
/// </summary>
internal sealed class PhasePlan : IDisposable
{
    private readonly FeatureCache? _trainCache;
    private readonly FeatureCache? _validationCache;

    private PhasePlan(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> evalModel, IBatchSource train, IBatchSource? validation,
        FeatureCache? trainCache = null, FeatureCache? validationCache = null)
    {
        Model = model;
        EvalModel = evalModel;
        Train = train;
        Validation = validation;
        _trainCache = trainCache;
        _validationCache = validationCache;
    }

    /// <summary>The module each training batch goes through.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The module validation batches go through: the head on cached validation features, else the whole model.</summary>
    public nn.Module<Tensor, Tensor> EvalModel { get; }

    public IBatchSource Train { get; }

    public IBatchSource? Validation { get; }

    public bool UsesFeatureCache => _trainCache is not null;

    /// <summary>Plans a phase, building feature caches when <see cref="FitOptions.CacheFeatures"/> asks for them and
    /// caching gives the same training as running the frozen base at every step.</summary>
    public static PhasePlan Prepare(Learner learner, FitOptions fit)
    {
        if (!fit.CacheFeatures || !CanCache(learner, out var network)) return new PhasePlan(learner.Model, learner.Model, learner.Train, learner.Validation);
        var extractor = network.WithoutHead();
        var head = network.Head.ForwardModule;
        var trainCache = FeatureCache.Build(extractor, learner.Train, fit.CacheMemoryLimitBytes);
        FeatureCache? validationCache = null;
        try
        {
            if (learner.Validation is { VariesBetweenEpochs: false } validation)
                validationCache = FeatureCache.Build(extractor, validation, fit.CacheMemoryLimitBytes);
        }
        catch
        {
            trainCache.Dispose();
            throw;
        }
        var train = new CachedBatchSource(trainCache, learner.Train);
        // Validation data that varies between epochs is not cached: it goes through the whole model.
        return validationCache is not null
            ? new PhasePlan(head, head, train, new CachedBatchSource(validationCache, learner.Validation!), trainCache, validationCache)
            : new PhasePlan(head, learner.Model, train, learner.Validation, trainCache);
    }

    private static bool CanCache(Learner learner, out Network network)
    {
        network = learner.Network!;
        if (learner.Network is null || learner.Train.VariesBetweenEpochs) return false;
        var baseLayers = network.BaseLayers;
        return baseLayers.Count > 0 && baseLayers.All(l => !l.Trainable) && network.Head.Trainable;
    }

    public void Dispose()
    {
        _trainCache?.Dispose();
        _validationCache?.Dispose();
    }
}
