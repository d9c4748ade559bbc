using GptImage.Files;
using GptImage.Providers;
using GptImage.Providers.ImagesApi;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Client;

/// <summary>What the module keeps for a user between calls lives in a folder only that user can read.</summary>
public sealed class PrivateFolderTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-private-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Base64_outputs_waiting_to_be_saved_are_kept_in_the_users_data_folder_where_no_one_else_can_read_them()
    {
        await using var h = await ClientHarness.StartAsync();
        var options = ClientHarness.OptionsFor(h.Server, null);
        options.Provider = ProviderKind.OpenAI;
        using var connection = new GptImageConnection(options);
        var p = await connection.CreateClient().SubmitAsync(new ImageTemplate { Provider = ProviderKind.OpenAI }.Generate("a fox"), CancellationToken.None);
        var kept = Assert.Single(p.Outputs);
        Assert.True(kept.IsFile);
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        var folder = Path.Combine(data, "GptImage", "outputs");
        Assert.Equal(folder, Path.GetDirectoryName(kept.LocalPath));
        Assert.Equal(folder, KeptOutputs.Folder);
        if (OperatingSystem.IsWindows()) { return; } // the profile's ACLs keep it the user's
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(kept.LocalPath));
    }

    [Fact]
    public void A_new_folder_is_made_0700()
    {
        var folder = Path.Combine(_folder, "new", "outputs");
        Assert.Equal(folder, PrivateFolder.MakePrivate(folder));
        Assert.True(Directory.Exists(folder));
        if (!OperatingSystem.IsWindows()) { Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder)); }
    }

    [Fact]
    public void A_folder_that_exists_open_to_everyone_is_tightened_to_0700()
    {
        if (OperatingSystem.IsWindows()) { return; }
        var folder = Path.Combine(_folder, "open");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8));
        PrivateFolder.MakePrivate(folder);
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void Files_are_created_0600_and_never_over_an_existing_one()
    {
        var path = Path.Combine(_folder, "kept.png");
        using (var file = PrivateFolder.CreateFile(path)) { file.Write([1, 2, 3]); }
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        if (!OperatingSystem.IsWindows()) { Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path)); }
        Assert.Throws<IOException>(() => PrivateFolder.CreateFile(path).Dispose());
    }

    [Fact]
    public void A_folder_that_cannot_be_made_private_is_refused_naming_it()
    {
        // A file where the folder should be: it cannot be created, let alone made private.
        var blocker = Path.Combine(_folder, "GptImage");
        File.WriteAllText(blocker, "not a folder");
        var folder = Path.Combine(blocker, "outputs");
        var e = Assert.Throws<GptImageException>(() => PrivateFolder.MakePrivate(folder));
        Assert.Equal(GptImageErrorKind.DestinationNotWritable, e.Kind);
        Assert.Contains(folder, e.Message);
    }
}
