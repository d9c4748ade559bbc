using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using SixLabors.ImageSharp.Memory;

namespace GptImage.Images;

/// <summary>
/// An ImageSharp allocator for one read that refuses to hold more than a set number of bytes at once: a
/// header can claim any size and a chunk any length, so what a decoder may allocate is capped here rather than
/// trusted. Buffers come from the module's shared pool and count until they are disposed.
/// </summary>
internal sealed class ImageMemoryBudget : MemoryAllocator
{
    private readonly MemoryAllocator _pool;
    private long _held;
    private int _exceeded;

    public ImageMemoryBudget(MemoryAllocator pool, long limit)
    {
        _pool = pool;
        Limit = limit;
    }

    /// <summary>The most bytes held at once.</summary>
    public long Limit { get; }

    /// <summary>Whether an allocation was refused (ImageSharp wraps the refusal in its own exception).</summary>
    public bool Exceeded => Volatile.Read(ref _exceeded) != 0;

    /// <summary>Buffers of a large image are allocated in pieces of this size, each counted.</summary>
    protected override int GetBufferCapacityInBytes() => 4 * 1024 * 1024;

    /// <inheritdoc />
    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        if (Interlocked.Add(ref _held, bytes) > Limit)
        {
            Interlocked.Add(ref _held, -bytes);
            Volatile.Write(ref _exceeded, 1);
            throw new InvalidMemoryOperationException($"Reading the image would hold more than {Limit} bytes.");
        }
        try
        {
            return new Counted<T>(_pool.Allocate<T>(length, options), this, bytes);
        }
        catch
        {
            Interlocked.Add(ref _held, -bytes);
            throw;
        }
    }

    private sealed class Counted<T> : IMemoryOwner<T>
    {
        private readonly IMemoryOwner<T> _inner;
        private readonly ImageMemoryBudget _budget;
        private long _bytes;

        public Counted(IMemoryOwner<T> inner, ImageMemoryBudget budget, long bytes)
        {
            _inner = inner;
            _budget = budget;
            _bytes = bytes;
        }

        public System.Memory<T> Memory => _inner.Memory;

        public void Dispose()
        {
            var bytes = Interlocked.Exchange(ref _bytes, 0);
            if (bytes == 0) { return; }
            Interlocked.Add(ref _budget._held, -bytes);
            _inner.Dispose();
        }
    }
}
