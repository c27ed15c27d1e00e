using System.Runtime.CompilerServices;

namespace Graft.Data.Transforms;

/// <summary>Reads a byte or float pixel component as float; the JIT removes the type test per instantiation.</summary>
internal static unsafe class PixelReader
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read<T>(T* p) where T : unmanaged =>
        typeof(T) == typeof(byte) ? *(byte*)p : *(float*)p;
}
