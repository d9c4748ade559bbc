using System.Diagnostics;
using System.Runtime.InteropServices;
using GptImage.Files;

namespace GptImage.Tests;

/// <summary>
/// The Desktop build chooses file modes by the OS it runs on, not by its target framework: under Mono on Linux it takes
/// the Unix branch (chmod through libc, as .NET 7+'s File.SetUnixFileMode does for the Core build); Windows PowerShell
/// takes the Windows one. Modes are read back with stat(1), since .NET Framework has no API for them.
/// </summary>
public sealed class PrivateFolderOnMonoTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-private-").FullName;

    private static bool OnWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_Desktop_build_runs_here_off_Windows_so_the_Unix_branch_is_what_these_tests_see()
    {
        Assert.Equal(".NETFramework,Version=v4.7.2", typeof(PrivateFolder).Assembly
            .GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName);
        Assert.Equal(Environment.OSVersion.Platform == PlatformID.Win32NT, OnWindows);
    }

    [Fact]
    public void A_new_folder_is_made_0700()
    {
        var folder = Path.Combine(_folder, "new", "outputs");
        Assert.Equal(folder, PrivateFolder.MakePrivate(folder));
        Assert.True(Directory.Exists(folder));
        if (!OnWindows) { Assert.Equal("700", Mode(folder)); }
    }

    [Fact]
    public void A_folder_that_exists_open_to_everyone_is_tightened_to_0700()
    {
        if (OnWindows) { return; } // the profile's ACLs keep it the user's
        var folder = Path.Combine(_folder, "open");
        Directory.CreateDirectory(folder);
        Run("chmod", "777 \"" + folder + "\"");
        Assert.Equal("777", Mode(folder));
        PrivateFolder.MakePrivate(folder);
        Assert.Equal("700", Mode(folder));
    }

    [Fact]
    public void Files_are_created_0600_and_never_over_an_existing_one()
    {
        var path = Path.Combine(_folder, "kept.png");
        using (var file = PrivateFolder.CreateFile(path)) { file.Write([1, 2, 3], 0, 3); }
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        if (!OnWindows) { Assert.Equal("600", Mode(path)); }
        Assert.Throws<IOException>(() => PrivateFolder.CreateFile(path).Dispose());
    }

    [Fact]
    public void An_atomic_private_file_replacing_an_open_one_lands_0600_under_its_final_name()
    {
        // The Desktop build replaces with File.Replace (the Core build with File.Move(overwrite)).
        var target = Path.Combine(_folder, "page.html");
        File.WriteAllText(target, "old");
        if (!OnWindows) { Run("chmod", "644 \"" + target + "\""); }
        using (var file = AtomicFile.Create(_folder, isPrivate: true))
        {
            file.Stream.Write([60, 104, 62], 0, 3);
            file.CommitAs(target, overwrite: true);
        }
        Assert.Equal("<h>", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(_folder));
        if (!OnWindows) { Assert.Equal("600", Mode(target)); }
    }

    private static string Mode(string path) => Run("stat", "-c %a \"" + path + "\"").Trim();

    private static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000), $"{program} {arguments} did not end");
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
