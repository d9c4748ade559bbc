#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, packages, demonstrates and benchmarks the GptImage module.
.DESCRIPTION
    Build   (default) out/GptImage/<version>/: manifest, bin/net8.0 and bin/net472 assemblies, format file, en-US help.
    Test    dotnet test, Analyze (in its own process), then the Pester suite in tests/Pester against the
            built module (Pester 5 is installed from the PowerShell Gallery for the current user when missing).
    Analyze PSScriptAnalyzer over build.ps1 and tests/Pester; any finding fails the task (installed for
            the current user when missing).
    Docs    docs/cmdlets/*.md -> en-US MAML help with whichever PlatyPS is installed.
    Package out/GptImage.<version>.nupkg through a local PSResource repository.
    Demo    generates an image into ./out/demo against WaveSpeed when WAVESPEED_API_KEY is set,
            otherwise against the emulator started and stopped here.
    Bench   runs the benchmark harness in bench/ in Release.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test
#>
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSReviewUnusedParameter', 'Configuration', Justification = 'Read by the task functions.')]
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSReviewUnusedParameter', 'SkipDotnetTest', Justification = 'Read by Invoke-Test.')]
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Analyze', 'Docs', 'Package', 'Demo', 'Bench')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: run only the Pester suite (CI has already run dotnet test).
    [switch] $SkipDotnetTest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$version = ([xml](Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.VersionPrefix |
    Where-Object { $_ } | Select-Object -First 1
$moduleRoot = Join-Path $root "out/GptImage/$version"
$project = Join-Path $root 'src/GptImage.PowerShell/GptImage.PowerShell.csproj'

# What ships, per target framework: our assembly and, on Desktop, System.Text.Json and its dependencies.
# PowerShellStandard.Library is compile-time only and never ships.
$shipped = @{
    'net8.0'  = @('GptImage.PowerShell.dll')
    'net472'  = @(
        'GptImage.PowerShell.dll', 'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'System.Memory.dll',
        'System.Buffers.dll', 'System.Numerics.Vectors.dll', 'System.Runtime.CompilerServices.Unsafe.dll',
        'System.Threading.Tasks.Extensions.dll', 'Microsoft.Bcl.AsyncInterfaces.dll', 'System.ValueTuple.dll'
    )
}

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList)
    Write-Verbose "$FilePath $($ArgumentList -join ' ')"
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$FilePath exited with code $LASTEXITCODE" }
}

function Get-ReleaseNote {
    # The newest released section of CHANGELOG.md (or Unreleased) becomes the manifest's ReleaseNotes.
    $text = Get-Content -LiteralPath (Join-Path $root 'CHANGELOG.md') -Raw
    $sections = [regex]::Split($text, '(?m)^## ') | Select-Object -Skip 1
    ($sections | Select-Object -First 1).Trim()
}

function Invoke-Build {
    if (Test-Path -LiteralPath $moduleRoot) { Remove-Item -LiteralPath $moduleRoot -Recurse -Force }
    foreach ($framework in $shipped.Keys) {
        $publish = Join-Path $root "obj/publish/$framework"
        Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-f', $framework, '-o', $publish, '--nologo')
        $bin = New-Item -ItemType Directory -Path (Join-Path $moduleRoot "bin/$framework") -Force
        foreach ($file in $shipped[$framework]) {
            Copy-Item -LiteralPath (Join-Path $publish $file) -Destination $bin
        }
    }
    Get-ChildItem -LiteralPath (Join-Path $root 'src/GptImage.PowerShell/module') -File |
        Copy-Item -Destination $moduleRoot
    $manifest = Get-Content -LiteralPath (Join-Path $root 'GptImage.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    # String.Replace, not -replace: the notes may hold "$" that a regex replacement would read as a group.
    $notes = (Get-ReleaseNote).Replace("'", "''")
    $manifest = $manifest.Replace("ReleaseNotes = ''", "ReleaseNotes = '$notes'")
    Set-Content -LiteralPath (Join-Path $moduleRoot 'GptImage.psd1') -Value $manifest -Encoding utf8
    Invoke-HelpBuild
    Test-ModuleManifest -Path (Join-Path $moduleRoot 'GptImage.psd1') | Out-Null
    Write-Information "Built $moduleRoot" -InformationAction Continue
}

function Invoke-HelpBuild {
    $source = Join-Path $root 'docs/cmdlets'
    $target = Join-Path $moduleRoot 'en-US'
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Get-ChildItem -LiteralPath $source -Filter 'about_*.md' | ForEach-Object {
        # about_ topics ship as plain text help files.
        Copy-Item -LiteralPath $_.FullName -Destination (Join-Path $target ($_.BaseName + '.help.txt'))
    }
    $cmdletDocs = @(Get-ChildItem -LiteralPath $source -Filter '*-*.md')
    if ($cmdletDocs.Count -eq 0) { return }
    if (Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS) {
        Import-Module Microsoft.PowerShell.PlatyPS
        $cmdletDocs.FullName | Import-MarkdownCommandHelp | Export-MamlCommandHelp -OutputFolder $target -Force | Out-Null
        # PlatyPS 1.x writes <module>/<module>-Help.xml; the binary module looks for <assembly>.dll-Help.xml.
        Get-ChildItem -LiteralPath $target -Recurse -Filter '*-Help.xml' | Where-Object DirectoryName -ne $target |
            ForEach-Object { Move-Item -LiteralPath $_.FullName -Destination (Join-Path $target 'GptImage.PowerShell.dll-Help.xml') -Force }
        Repair-MamlExample -Path (Join-Path $target 'GptImage.PowerShell.dll-Help.xml')
    }
    else {
        if (-not (Get-Module -ListAvailable -Name platyPS)) {
            Install-PSResource -Name platyPS -Version '[0.14,1.0)' -Scope CurrentUser -TrustRepository
        }
        Import-Module platyPS
        New-ExternalHelp -Path $cmdletDocs.FullName -OutputPath $target -Force | Out-Null
    }
}

function Repair-MamlExample {
    # PlatyPS 1.x leaves an example's fenced code in its introduction, beside a U+0080 paragraph
    # (PowerShell/platyPS#792 and #799); Get-Help shows code from <dev:code> and the text from <dev:remarks>.
    param([Parameter(Mandatory)] [string] $Path)
    $xml = [xml](Get-Content -LiteralPath $Path -Raw)
    $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
    $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    foreach ($example in $xml.SelectNodes('//command:example', $ns)) {
        $introduction = $example.SelectSingleNode('maml:introduction', $ns)
        $code = $example.SelectSingleNode('dev:code', $ns)
        $remarks = $example.SelectSingleNode('dev:remarks', $ns)
        foreach ($para in @($introduction.SelectNodes('maml:para', $ns))) {
            $text = $para.InnerText
            $null = $introduction.RemoveChild($para)
            if ($text -match '^```\w*\r?\n(?<code>[\s\S]*?)\r?\n```$') {
                $code.InnerText = (@($code.InnerText, $Matches.code) | Where-Object { $_ }) -join [Environment]::NewLine
            }
            elseif ($text.Trim([char]0x80).Trim()) {
                $null = $remarks.AppendChild($para)
            }
        }
        # An empty paragraph keeps a blank line before the next example.
        $null = $remarks.AppendChild($xml.CreateElement('maml', 'para', 'http://schemas.microsoft.com/maml/2004/10'))
    }
    $xml.Save($Path)
}

function Invoke-ScriptAnalysis {
    if (-not (Get-Module -ListAvailable -Name PSScriptAnalyzer)) {
        Install-PSResource -Name PSScriptAnalyzer -Scope CurrentUser -TrustRepository
    }
    Import-Module PSScriptAnalyzer
    $findings = @(
        Invoke-ScriptAnalyzer -Path (Join-Path $root 'build.ps1') -Severity Warning, Error, Information
        Invoke-ScriptAnalyzer -Path (Join-Path $root 'tests/Pester') -Recurse -Severity Warning, Error, Information
    )
    if ($findings.Count -gt 0) {
        $findings | Format-Table -Property RuleName, Severity, ScriptName, Line, Message -AutoSize -Wrap | Out-String -Width 200 | Write-Warning
        throw "PSScriptAnalyzer: $($findings.Count) finding(s)."
    }
    Write-Information 'PSScriptAnalyzer: no findings.' -InformationAction Continue
}

function Invoke-Test {
    if ($SkipDotnetTest) { Invoke-Native dotnet @('build', (Join-Path $root 'GptImage.sln'), '-c', $Configuration) }
    else { Invoke-Native dotnet @('test', (Join-Path $root 'GptImage.sln'), '-c', $Configuration) }
    Invoke-Build
    # In its own process: analysing the tests loads the Pester they name, which could be another version.
    Invoke-Native (Get-Process -Id $PID).Path @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'build.ps1'), '-Task', 'Analyze')
    # The suite is written for Pester 5 (5.5 or later); a Pester 6 installed beside it is left alone.
    $findPester = { Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.5.0' -and $_.Version -lt [version]'6.0' } |
            Sort-Object Version -Descending | Select-Object -First 1 }
    $pester = & $findPester
    if (-not $pester) {
        Install-PSResource -Name Pester -Version '[5.5.0,6.0)' -Scope CurrentUser -TrustRepository
        $pester = & $findPester
    }
    Import-Module Pester -RequiredVersion $pester.Version
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Throw = $true
    $config.Output.Verbosity = 'Detailed'
    $env:GPTIMAGE_MODULE_PATH = Join-Path $moduleRoot 'GptImage.psd1'
    Invoke-Pester -Configuration $config
}

function Invoke-Package {
    Invoke-Build
    $repoPath = Join-Path $root 'out/repo'
    New-Item -ItemType Directory -Path $repoPath -Force | Out-Null
    $name = 'GptImageLocal'
    if (-not (Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $name -Uri $repoPath -Trusted
    }
    try { Publish-PSResource -Path $moduleRoot -Repository $name }
    finally { Unregister-PSResourceRepository -Name $name }
    Get-ChildItem -LiteralPath $repoPath -Filter '*.nupkg'
}

function Invoke-Demo {
    Invoke-Native dotnet @('run', '-c', $Configuration, '--project', (Join-Path $root 'samples/GptImage.Demo'))
}

function Invoke-Bench {
    Invoke-Native dotnet @('run', '-c', 'Release', '--project', (Join-Path $root 'bench/GptImage.Benchmarks'), '--', 'all')
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Analyze' { Invoke-ScriptAnalysis }
        'Docs' { New-Item -ItemType Directory -Path $moduleRoot -Force | Out-Null; Invoke-HelpBuild }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
    }
}
