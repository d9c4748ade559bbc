using System.Security.Cryptography;
using System.Text;

// In System, so the emulator's files and the tests' find them as they find the members themselves.
namespace System;

/// <summary>
/// The .NET 7+ members the shared test files call, written for .NET Framework so the same files compile here. Each does
/// what the member does; none is used by the module itself (it is built for net472 as it ships).
/// </summary>
internal static class Polyfills
{
    extension(Directory)
    {
        public static DirectoryInfo CreateTempSubdirectory(string prefix) =>
            Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("n")));
    }

    extension(OperatingSystem)
    {
        public static bool IsWindows() => Environment.OSVersion.Platform == PlatformID.Win32NT;
    }

    extension(File)
    {
        public static Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken = default) =>
            Task.FromResult(File.ReadAllBytes(path));

        public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default)
        {
            File.WriteAllBytes(path, bytes);
            return Task.CompletedTask;
        }
    }

    extension(Convert)
    {
        public static string ToHexString(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", string.Empty);
    }

    extension(SHA256)
    {
        public static byte[] HashData(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }
    }

    extension(System.Text.RegularExpressions.Regex)
    {
        public static int Count(string input, string pattern) => System.Text.RegularExpressions.Regex.Matches(input, pattern).Count;
    }

    extension(Stream stream)
    {
        public void Write(ReadOnlySpan<byte> bytes) => stream.Write(bytes.ToArray(), 0, bytes.Length);

        public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
            stream.WriteAsync(bytes.ToArray(), 0, bytes.Length, cancellationToken);
    }

    extension(Task task)
    {
        public async Task WaitAsync(TimeSpan timeout)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task) { throw new TimeoutException(); }
            await task.ConfigureAwait(false);
        }
    }

    extension<T>(Task<T> task)
    {
        public bool IsCompletedSuccessfully => task.Status == TaskStatus.RanToCompletion;

        public async Task<T> WaitAsync(TimeSpan timeout)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task) { throw new TimeoutException(); }
            return await task.ConfigureAwait(false);
        }
    }

    extension<T>(IEnumerable<T> items)
    {
        public IOrderedEnumerable<T> Order(IComparer<T>? comparer = null) => items.OrderBy(x => x, comparer);
    }

    extension(string text)
    {
        public string Replace(string oldValue, string? newValue, StringComparison comparison)
        {
            var result = new StringBuilder();
            var at = 0;
            int found;
            while ((found = text.IndexOf(oldValue, at, comparison)) >= 0)
            {
                result.Append(text, at, found - at).Append(newValue);
                at = found + oldValue.Length;
            }
            return result.Append(text, at, text.Length - at).ToString();
        }
    }

    extension(System.Text.RegularExpressions.MatchCollection matches)
    {
        public IEnumerable<TResult> Select<TResult>(Func<System.Text.RegularExpressions.Match, TResult> selector) =>
            matches.Cast<System.Text.RegularExpressions.Match>().Select(selector);
    }

    public static void Deconstruct<TKey, TValue>(this KeyValuePair<TKey, TValue> pair, out TKey key, out TValue value)
    {
        key = pair.Key;
        value = pair.Value;
    }
}
