using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIsolation.Processes.Native;

/// <summary>
/// Unmanaged memory for one spawn request: NUL-terminated UTF-8 strings and arrays that stay put (the GC never
/// moves them) until the request is disposed, so the native side can hold plain pointers.
/// </summary>
internal sealed unsafe class NativeArena : IDisposable
{
    private readonly List<nint> _blocks = [];

    public byte* String(string? value)
    {
        if (value is null)
        {
            return null;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        byte* p = (byte*)Alloc((nuint)length + 1);
        int written = Encoding.UTF8.GetBytes(value, new Span<byte>(p, length));
        p[written] = 0;
        return p;
    }

    /// <summary>A NULL-terminated array of strings (argv, envp).</summary>
    public byte** StringArray(IReadOnlyList<string> values)
    {
        byte** array = (byte**)Alloc((nuint)((values.Count + 1) * sizeof(byte*)));
        for (int i = 0; i < values.Count; i++)
        {
            array[i] = String(values[i]);
        }

        array[values.Count] = null;
        return array;
    }

    public T* Array<T>(int count)
        where T : unmanaged
    {
        if (count == 0)
        {
            return null;
        }

        T* p = (T*)Alloc((nuint)(count * sizeof(T)));
        new Span<T>(p, count).Clear();
        return p;
    }

    public void Dispose()
    {
        foreach (nint block in _blocks)
        {
            NativeMemory.Free((void*)block);
        }

        _blocks.Clear();
    }

    private void* Alloc(nuint size)
    {
        void* p = NativeMemory.Alloc(size == 0 ? 1 : size);
        _blocks.Add((nint)p);
        return p;
    }
}
