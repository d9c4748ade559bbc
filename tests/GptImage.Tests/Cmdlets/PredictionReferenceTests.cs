using System.Collections;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Files;

namespace GptImage.Tests.Cmdlets;

/// <summary>
/// A prediction read back from a file or a job is untrusted input: only its Id and Provider are taken, and kept
/// outputs only when they are this prediction's files in the private folder.
/// </summary>
public sealed class PredictionReferenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-kept-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PSObject Deserialized(params (string Name, object? Value)[] properties)
    {
        var record = new PSObject();
        record.TypeNames.Insert(0, "Deserialized.GptImage.Prediction");
        foreach (var (name, value) in properties) { record.Properties.Add(new PSNoteProperty(name, value)); }
        return record;
    }

    private string Kept(string name)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, new byte[] { 1 });
        return new Uri(path).ToString();
    }

    [Fact]
    public void Only_the_id_and_provider_are_taken_and_the_rest_is_left_to_a_new_query()
    {
        var reference = PredictionReference.From(Deserialized(
            ("Id", "abc123"), ("Provider", "WaveSpeed"), ("Status", "completed"), ("Model", "evil"),
            ("Outputs", new[] { "https://elsewhere.example/x.png" }), ("SourcePath", "/etc/passwd"), ("Files", new[] { "/tmp/x" })), _folder);
        Assert.True(reference.IsReference);
        Assert.Equal(("abc123", "WaveSpeed"), (reference.Id, reference.Provider));
        Assert.Equal(PredictionStatus.Created, reference.Status);
        Assert.False(reference.IsFinal);
        Assert.Empty(reference.Outputs);
        Assert.Empty(reference.Files);
        Assert.Null(reference.SourcePath);
        Assert.Equal(string.Empty, reference.Model);
    }

    [Fact]
    public void A_WaveSpeed_reference_keeps_no_output_not_even_a_kept_file()
    {
        var kept = Kept("abc-0.png");
        Assert.Empty(PredictionReference.From(Deserialized(("Id", "abc"), ("Provider", "WaveSpeed"), ("Outputs", new[] { kept })), _folder).Outputs);
    }

    [Fact]
    public void An_Images_API_reference_keeps_only_its_own_existing_files_in_the_private_folder()
    {
        var mine = Kept("img-1-0.png");
        var other = Kept("img-2-0.png");
        var outside = Path.Combine(Path.GetTempPath(), "img-1-1.png");
        var missing = new Uri(Path.Combine(_folder, "img-1-2.png")).ToString();
        var reference = PredictionReference.From(Deserialized(("Id", "img-1"), ("Provider", "OpenAI"),
            ("Outputs", new object[] { mine, other, new Uri(outside).ToString(), missing, "https://x.example/img-1-0.png", new Uri(mine) })), _folder);
        Assert.Equal(new[] { new Uri(mine), new Uri(mine) }, reference.Outputs);
        Assert.Equal("OpenAI", reference.Provider);
    }

    [Fact]
    public void A_path_that_climbs_out_of_the_private_folder_is_not_a_kept_output()
    {
        Kept("img-1-0.png");
        var climbing = "file://" + _folder + "/sub/../../" + Path.GetFileName(_folder) + "-x/img-1-0.png";
        Assert.Null(KeptOutputs.Reference("img-1", climbing, _folder));
        Assert.Null(KeptOutputs.Reference("img-1", "img-1-0.png", _folder));
        Assert.NotNull(KeptOutputs.Reference("img-1", "file://" + _folder + "/sub/../img-1-0.png", _folder));
    }

    [Fact]
    public void A_hashtable_and_a_ConvertFrom_Json_object_bind_and_a_missing_provider_is_the_calls()
    {
        var fromTable = PredictionReference.From(new Hashtable(StringComparer.OrdinalIgnoreCase) { ["id"] = "t1", ["provider"] = "aimlapi" }, _folder);
        Assert.Equal(("t1", "AimlApi"), (fromTable.Id, fromTable.Provider));
        var json = new PSObject();
        json.Properties.Add(new PSNoteProperty("Id", "j1"));
        Assert.Equal(string.Empty, PredictionReference.From(json, _folder).Provider);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../outputs")]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("abc\u001b[31m")]
    public void An_id_that_is_not_one_path_segment_is_refused(string? id)
    {
        Assert.Throws<ArgumentException>(() => PredictionReference.From(Deserialized(("Id", id), ("Provider", "WaveSpeed")), _folder));
    }

    [Theory]
    [InlineData("Midjourney")]
    [InlineData("1")]
    [InlineData("WaveSpeed,OpenAI")]
    public void A_provider_GptImage_does_not_know_is_refused(string provider)
    {
        var e = Assert.Throws<ArgumentException>(() => PredictionReference.From(Deserialized(("Id", "abc"), ("Provider", provider)), _folder));
        Assert.Contains("provider", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transformation_passes_live_predictions_and_other_values_and_turns_records_into_references()
    {
        var attribute = new PredictionTransformationAttribute();
        var live = new Prediction { Id = "live" };
        Assert.Same(live, attribute.Transform(null!, live));
        Assert.Equal("an id", attribute.Transform(null!, "an id"));
        var many = Assert.IsType<object[]>(attribute.Transform(null!, new object[] { live, Deserialized(("Id", "r1"), ("Provider", "WaveSpeed")) }));
        Assert.Same(live, many[0]);
        Assert.True(Assert.IsType<Prediction>(many[1]).IsReference);
        var e = Assert.Throws<ArgumentTransformationMetadataException>(() => attribute.Transform(null!, Deserialized(("Name", "x"))));
        Assert.Contains("has no Id", e.Message, StringComparison.Ordinal);
    }
}
