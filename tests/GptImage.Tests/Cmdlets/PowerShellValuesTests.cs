using System.Collections;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Requests;

namespace GptImage.Tests.Cmdlets;

/// <summary>PowerShell's values unwrapped for the client: never followed deeper than the additional fields allow.</summary>
public sealed class PowerShellValuesTests
{
    [Fact]
    public void A_hashtable_that_contains_itself_is_refused_not_followed_until_the_stack_ends()
    {
        var self = new Hashtable();
        self["me"] = self;
        var e = Assert.Throws<GptImageException>(() => PowerShellValues.ToFields(new Hashtable { ["loop"] = PSObject.AsPSObject(self) }));
        Assert.Equal(("GptImage.InvalidParameter", "AdditionalParameter"), (e.ErrorId, e.ParameterName));
        Assert.Contains("contains itself", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_unwrap_to_the_depth_the_request_checks_and_no_further()
    {
        Assert.NotNull(PowerShellValues.ToFields(new Hashtable { ["deep"] = Nested(AdditionalFields.MaxDepth) }));
        var e = Assert.Throws<GptImageException>(() => PowerShellValues.ToFields(new Hashtable { ["deep"] = Nested(3000) }));
        Assert.Contains("16 deep", e.Message, StringComparison.Ordinal);
    }

    private static Hashtable Nested(int depth)
    {
        var root = new Hashtable();
        var current = root;
        for (var i = 1; i < depth; i++)
        {
            var next = new Hashtable();
            current["n"] = next;
            current = next;
        }
        return root;
    }
}
