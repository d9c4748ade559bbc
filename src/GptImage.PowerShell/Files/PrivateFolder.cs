using System;
using System.IO;
using System.Runtime.InteropServices;

namespace GptImage.Files;

/// <summary>
/// GptImage's per-user folder (the user's local application data, i.e. $XDG_DATA_HOME or ~/.local/share off
/// Windows, + GptImage): what the module keeps for the user between calls (outputs not yet saved) lives here,
/// never in a shared place like /tmp where any local user may read it or create the folder first. On Unix each
/// folder is made 0700 and each file is created 0600; a chmod on a folder someone else owns fails with EPERM, which
/// is how a folder made first by another user is found, and such a folder is refused. The branch is chosen by the
/// OS at run time, so the net472 build under Mono on Linux takes it too. On Windows the profile's ACLs keep it the
/// user's.
/// </summary>
internal static class PrivateFolder
{
    private const uint OwnerOnlyFolder = 448; // 0700
    private const uint OwnerOnlyFile = 384; // 0600

    private static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>GptImage's folder in the user's local application data; refused when the user has none.</summary>
    public static string Root
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(data))
            {
                throw new GptImageException(GptImageErrorKind.DestinationNotWritable,
                    "There is no per-user data folder (neither XDG_DATA_HOME nor HOME is set) to keep outputs in until they are saved.");
            }
            return Path.Combine(data, "GptImage");
        }
    }

    /// <summary>The path of the private folder <paramref name="name"/> (not created: see <see cref="Ensure"/>).</summary>
    public static string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>
    /// Creates the private folder <paramref name="name"/> (and GptImage's folder above it) or makes the existing one
    /// private, and returns its path; one that cannot be made private is refused with DestinationNotWritable naming it.
    /// </summary>
    public static string Ensure(string name)
    {
        MakePrivate(Root);
        return MakePrivate(PathOf(name));
    }

    /// <summary>Creates <paramref name="folder"/> or makes it the user's only (0700 on Unix); refused when it is not the user's.</summary>
    internal static string MakePrivate(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            if (IsUnix) { SetMode(folder, OwnerOnlyFolder); }
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GptImageException(GptImageErrorKind.DestinationNotWritable,
                $"The folder '{folder}' cannot be made private to this user ({e.Message}); it may belong to someone else. Outputs waiting to be saved are kept only where no one else can read them: remove it or set XDG_DATA_HOME.",
                innerException: e);
        }
    }

    /// <summary>A new file for writing that only the user can read (0600 on Unix); refused with IOException when it exists.</summary>
    public static FileStream CreateFile(string path)
    {
        // Unbuffered, as the writers hand over chunks of tens of KB already.
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            if (IsUnix) { SetMode(path, OwnerOnlyFile); }
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void SetMode(string path, uint mode)
    {
#if NET
        if (!OperatingSystem.IsWindows()) { File.SetUnixFileMode(path, (UnixFileMode)mode); }
#else
        if (chmod(path, mode) != 0)
        {
            var errno = Marshal.GetLastWin32Error();
            throw new UnauthorizedAccessException($"chmod {Convert.ToString(mode, 8)} failed (errno {errno}{(errno == 1 ? ", not the owner" : string.Empty)}).");
        }
#endif
    }

#if !NET
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int chmod(string path, uint mode);
#endif
}
