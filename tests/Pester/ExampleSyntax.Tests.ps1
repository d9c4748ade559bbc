# The examples must parse in Windows PowerShell 5.1 as well as in PowerShell 7.4: build.ps1 -Task Analyze runs
# Test-GptImageExampleSyntax over all of them; these tests show what it finds.
BeforeDiscovery {
    # build.ps1 puts ../shared/tools/psmodules on the module path; with CI=true a missing analyzer is a failure.
    $script:noAnalyzer = -not (Get-Module -ListAvailable -Name PSScriptAnalyzer)
    if ($noAnalyzer -and $env:CI -eq 'true') { throw 'PSScriptAnalyzer is needed for the example syntax tests.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Test-GptImageExampleSyntax' -Skip:$noAnalyzer {
    It 'names the example and the line of a null-coalescing operator, which Windows PowerShell 5.1 cannot parse' {
        $example = [pscustomobject]@{ Name = 'scratch.md: Example 1'; Code = "`$a = `$null`n`$a ?? 1" }
        $found = @($example | Test-GptImageExampleSyntax)
        $found.Count | Should -Be 1
        $found[0] | Should -BeLike 'scratch.md: Example 1, line 2: *null-coalescing*'
    }

    It 'finds ternaries and pipeline chains too' {
        $examples = @(
            [pscustomobject]@{ Name = 'a'; Code = '$x = $true ? 1 : 2' }
            [pscustomobject]@{ Name = 'b'; Code = 'Get-Date && Get-Date' }
        )
        @($examples | Test-GptImageExampleSyntax).Count | Should -Be 2
    }

    It 'checks an example that says it needs PowerShell 7 for PowerShell 7.4 only' {
        $example = [pscustomobject]@{ Name = 'c'; Code = "# needs PowerShell 7`n`$a ?? 1" }
        @($example | Test-GptImageExampleSyntax).Count | Should -Be 0
    }

    It 'finds nothing in the README and help examples' {
        $examples = @(Get-GptImageDocExample)
        $examples.Count | Should -BeGreaterThan 40
        @($examples | Test-GptImageExampleSyntax) | Should -BeNullOrEmpty
    }
}
