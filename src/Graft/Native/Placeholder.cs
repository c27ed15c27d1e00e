namespace Graft.Native;
internal static class Placeholder { }
