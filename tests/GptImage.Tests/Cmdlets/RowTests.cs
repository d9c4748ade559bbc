using GptImage.Files;
using GptImage.Operations;
using GptImage.Requests;

namespace GptImage.Tests.Cmdlets;

/// <summary>Inputs that bring their own values (CSV rows): each is validated, priced, submitted and saved as it asks.</summary>
public sealed class RowTests
{
    [Fact]
    public async Task Each_row_is_submitted_with_its_own_size_and_quality_and_a_bad_row_is_refused_alone()
    {
        await using var h = await CmdletHarness.StartAsync();
        var call = h.Settings(wait: true);
        var operation = new NewImageOperation(h.Runner, h.Provider, call);
        var bad = new { Prompt = "bad", Size = "7x7" };
        await h.Pipeline(() =>
        {
            operation.Process(new ImageTemplate { Size = "1536x1024", Quality = "high" }, "wide", "row 1", call);
            operation.Process(new ImageTemplate { Size = "7x7", Quality = "low" }, "bad", bad, call);
            operation.Process(new ImageTemplate { Size = "1024x1536", Quality = "low" }, "tall", "row 3", call);
            operation.Process(new ImageTemplate(), "plain");
            operation.End();
        });
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.InvalidParameter", error.ErrorId);
        Assert.Same(bad, error.Target);
        Assert.Contains("7x7", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Server.Stats.SubmitRequests);
        var byPrompt = h.Sink.Predictions.ToDictionary(p => p.Prompt!);
        Assert.Equal(("1536x1024", "high"), (byPrompt["wide"].Size, byPrompt["wide"].Quality));
        Assert.Equal(("1024x1536", "low"), (byPrompt["tall"].Size, byPrompt["tall"].Quality));
        // Left to the defaults: the values the task runs at (and is priced at), not blanks.
        Assert.Equal(("1024x1024", "medium"), (byPrompt["plain"].Size, byPrompt["plain"].Quality));
        Assert.Contains(h.Sink.ShouldProcessCalls, c => c.Target == "wide" && c.Action.Contains("$0.250 per image", StringComparison.Ordinal));
        Assert.Contains(h.Sink.ShouldProcessCalls, c => c.Target == "tall" && c.Action.Contains("$0.016 per image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_row_saves_to_its_own_OutFile_and_a_row_whose_OutFile_exists_is_refused_before_it_is_submitted()
    {
        await using var h = await CmdletHarness.StartAsync();
        var taken = Path.Combine(h.Folder, "taken.png");
        File.WriteAllBytes(taken, [1]);
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings());
        WaitSettings Row(string name) => new() { Timeout = TimeSpan.FromSeconds(30), Save = new SaveOptions { OutFile = Path.Combine(h.Folder, name) } };
        await h.Pipeline(() =>
        {
            operation.Process(new ImageTemplate(), "first", "row 1", Row("first.png"));
            operation.Process(new ImageTemplate(), "second", "row 2", Row("taken.png"));
            operation.Process(new ImageTemplate(), "third", "row 3", Row("third.png"));
            operation.End();
        });
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("row 2", error.Target);
        Assert.Equal(2, h.Server.Stats.SubmitRequests);
        Assert.Equal(new[] { "first.png", "third.png" }, h.Sink.Predictions.SelectMany(p => p.Files).Select(f => f.Name).Order());
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(taken));
    }

    [Fact]
    public async Task Two_rows_naming_one_OutFile_submit_the_first_and_refuse_the_second()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings());
        var row = new WaitSettings { Timeout = TimeSpan.FromSeconds(30), Save = new SaveOptions { OutFile = Path.Combine(h.Folder, "one.png") } };
        await h.Pipeline(() =>
        {
            operation.Process(new ImageTemplate(), "first", "row 1", row);
            operation.Process(new ImageTemplate(), "second", "row 2", row);
            operation.End();
        });
        Assert.Equal("row 2", Assert.Single(h.Sink.Errors).Target);
        Assert.Equal("first", Assert.Single(h.Sink.Predictions).Prompt);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task Each_edit_row_is_sent_with_its_own_prompt_and_size()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operation = new EditImageOperation(h.Runner, h.Provider, h.Settings(wait: true), combine: false);
        await h.Pipeline(() =>
        {
            operation.Process(new ImageTemplate { Prompt = "pastel", Size = "1536x1024" }, [ImageSource.FromFile(h.WriteImage("a.png", 1))], "row 1");
            operation.Process(new ImageTemplate { Prompt = "noir", Size = "9x9" }, [ImageSource.FromFile(h.WriteImage("b.png", 2))], "row 2");
            operation.Process(new ImageTemplate { Prompt = "noir" }, [ImageSource.FromFile(h.WriteImage("c.png", 3))], "row 3");
            operation.End();
        });
        Assert.Equal("row 2", Assert.Single(h.Sink.Errors).Target);
        var byPrompt = h.Sink.Predictions.ToDictionary(p => p.Prompt!);
        Assert.Equal("1536x1024", byPrompt["pastel"].Size);
        Assert.Equal(("auto", "medium"), (byPrompt["noir"].Size, byPrompt["noir"].Quality));
    }
}
