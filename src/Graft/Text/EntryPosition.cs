namespace Graft.Text;

/// <summary>Where an entry of a word-vectors file is, for messages: <c>line 12</c>, or <c>entry 12 at byte 3456</c>.</summary>
/// <param name="Unit">What is counted: <c>line</c> or <c>entry</c>.</param>
/// <param name="Number">The 1-based line or entry.</param>
/// <param name="Offset">The byte offset, or -1 when not shown.</param>
internal readonly record struct EntryPosition(string Unit, long Number, long Offset = -1)
{
    /// <inheritdoc/>
    public override string ToString() => Offset < 0 ? $"{Unit} {Number}" : $"{Unit} {Number} at byte {Offset}";
}
