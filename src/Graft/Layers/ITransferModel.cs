namespace Graft.Layers;

/// <summary>
/// A model seen as transfer learning sees it: a pretrained base and the new layers on top of it (the head). The
/// strategies freeze and unfreeze through this view, so they work for any model that provides it: a
/// <see cref="Network"/> (base = the layers before its head layer) or a text classifier (base = its embedding,
/// head = every layer after it).
/// </summary>
/// <remarks>The two lists hold top-level layers in forward order and together cover every parameter; a layer's
/// name is the prefix of its weights' keys, which is how the learner gives base and head their own learning rates.</remarks>
public interface ITransferModel
{
    /// <summary>The pretrained layers: frozen by feature extraction, unfrozen (from the top) by fine-tuning.</summary>
    LayerList BaseLayers { get; }

    /// <summary>The new layers after the base: trained in every phase.</summary>
    LayerList HeadLayers { get; }
}
