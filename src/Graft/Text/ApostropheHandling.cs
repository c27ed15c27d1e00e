namespace Graft.Text;

/// <summary>What the tokenizer does with an apostrophe between two letters.</summary>
public enum ApostropheHandling
{
    /// <summary>The apostrophe stays inside the word: <c>don't</c>, <c>o'clock</c>, <c>l'homme</c>. Language-neutral.</summary>
    KeepInWord,

    /// <summary>English clitics are split off as the Penn Treebank tokenizer does (<c>don't</c> → <c>do</c> <c>n't</c>,
    /// <c>john's</c> → <c>john</c> <c>'s</c>; also <c>'re 've 'll 'd 'm</c>), matching the text GloVe's vectors were
    /// trained on; other apostrophes stay inside the word.</summary>
    SplitClitics,
}
