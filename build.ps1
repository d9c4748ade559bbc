#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, packages, demonstrates and benchmarks the GptImage module.
.DESCRIPTION
    Run it in the pinned PowerShell: `dotnet tool restore`, then `dotnet pwsh ./build.ps1 -Task <task>`.
    Every dependency comes from NuGet or from ../shared/tools/psmodules; nothing is installed from the Gallery.

    Build   (default) out/GptImage/<version>/: manifest, bin/net8.0 and bin/net472 assemblies, format file,
            en-US help (the committed MAML and about_GptImage). Installs nothing.
    Test    dotnet test (results in out/test-results/xunit.trx), the engine's tests against the net472 build under
            Mono (desktop.trx; skipped with a line when Mono is missing, a failure with CI=true), Analyze (in its own
            process), the help check
            (the committed MAML is what -Task Docs makes of docs/cmdlets), then the Pester suite in tests/Pester
            against the built module with the Pester pinned in .config/PowerShellModules.csproj, restored from
            NuGet into out/psmodules (results in out/test-results/pester.xml).
    Analyze PSScriptAnalyzer over build.ps1 and tests/Pester, and its PSUseCompatibleSyntax (Windows PowerShell 5.1
            and PowerShell 7.4) over every example of README.md and docs/cmdlets; any finding fails the task.
    Docs    docs/cmdlets/*-*.md -> src/GptImage.PowerShell/module/en-US/GptImage.PowerShell.dll-Help.xml with
            PlatyPS 1.x; commit the result.
    Package out/package/GptImage.<version>.nupkg and GptImage.zip (the layout Azure Automation imports), then
            installs the package by name from a temporary repository into a temporary folder, imports it in
            a fresh PowerShell and runs New-GptImage -WhatIf. The user's repository list is left as it was.
    Demo    the main job through the cmdlets: a batch piped through New-GptImage and Wait-GptImagePrediction
            into ./out/demo, against WaveSpeed when WAVESPEED_API_KEY is set, otherwise against the emulator
            started and stopped here.
    Bench   runs the benchmark harness in bench/ in Release.
    Mutate  Stryker.NET (the pinned dotnet-stryker) over src/ with the xunit suite, as set in
            tests/GptImage.Tests/stryker-config.json; the HTML and JSON reports go to out/mutation.

    PlatyPS and PSScriptAnalyzer are not on NuGet: they are taken from ../shared/tools/psmodules when it exists,
    otherwise from the user's modules. Outside CI a missing one prints a line and its step is skipped; with
    CI=true it fails.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Docs, Test
#>
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSReviewUnusedParameter', 'SkipDotnetTest', Justification = 'Read by Invoke-Test.')]
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Analyze', 'Docs', 'Package', 'Demo', 'Bench', 'Mutate')]
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
# The emulator the Pester suite and the Demo start (built by dotnet build/test of the solution, or by Demo).
$emulatorPath = Join-Path $root "tests/GptImage.Emulator/bin/$Configuration/net10.0/GptImage.Emulator.dll"

# What ships, per target framework: our assembly and ImageSharp and, on Desktop, System.Text.Json and the
# dependencies of both.
# PowerShellStandard.Library is compile-time only and never ships.
$shipped = @{
    'net8.0'  = @('GptImage.PowerShell.dll', 'SixLabors.ImageSharp.dll')
    'net472'  = @(
        'GptImage.PowerShell.dll', 'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'System.Memory.dll',
        'System.Buffers.dll', 'System.Numerics.Vectors.dll', 'System.Runtime.CompilerServices.Unsafe.dll',
        'System.Threading.Tasks.Extensions.dll', 'Microsoft.Bcl.AsyncInterfaces.dll', 'System.ValueTuple.dll',
        'SixLabors.ImageSharp.dll', 'System.Text.Encoding.CodePages.dll'
    )
}

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList)
    Write-Verbose "$FilePath $($ArgumentList -join ' ')"
    # To the host, not the output: a function that calls a tool and returns a value returns only that value.
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$FilePath exited with code $LASTEXITCODE" }
}

function Invoke-PowerShell {
    # A fresh process of this same PowerShell: under `dotnet pwsh` the process is dotnet, and pwsh.dll comes first.
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $process = (Get-Process -Id $PID).Path
    $prefix = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @([Environment]::GetCommandLineArgs()[0]) } else { @() }
    Invoke-Native $process (@($prefix) + @('-NoProfile', '-NonInteractive') + $ArgumentList)
}

function Get-ReleaseNote {
    # The newest released section of CHANGELOG.md (or Unreleased) becomes the manifest's ReleaseNotes.
    $text = Get-Content -LiteralPath (Join-Path $root 'CHANGELOG.md') -Raw
    $sections = [regex]::Split($text, '(?m)^## ') | Select-Object -Skip 1
    ($sections | Select-Object -First 1).Trim()
}

$script:built = $false

function Invoke-Build {
    # Test, Package, Demo and Bench each need the module built from the current sources; one run builds it once.
    if ($script:built) { return }
    if (Test-Path -LiteralPath $moduleRoot) { Remove-Item -LiteralPath $moduleRoot -Recurse -Force }
    foreach ($framework in $shipped.Keys) {
        $publish = Join-Path $root "obj/publish/$framework"
        Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-f', $framework, '-o', $publish, '--nologo')
        $bin = New-Item -ItemType Directory -Path (Join-Path $moduleRoot "bin/$framework") -Force
        foreach ($file in $shipped[$framework]) {
            Copy-Item -LiteralPath (Join-Path $publish $file) -Destination $bin
        }
    }
    # The format file and the committed en-US MAML help.
    Get-ChildItem -LiteralPath (Join-Path $root 'src/GptImage.PowerShell/module') |
        Copy-Item -Destination $moduleRoot -Recurse
    $manifest = Get-Content -LiteralPath (Join-Path $root 'GptImage.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    # String.Replace, not -replace: the notes may hold "$" that a regex replacement would read as a group.
    $notes = (Get-ReleaseNote).Replace("'", "''")
    $manifest = $manifest.Replace("ReleaseNotes = ''", "ReleaseNotes = '$notes'")
    Set-Content -LiteralPath (Join-Path $moduleRoot 'GptImage.psd1') -Value $manifest -Encoding utf8
    Copy-Help
    Test-ModuleManifest -Path (Join-Path $moduleRoot 'GptImage.psd1') | Out-Null
    Write-Information "Built $moduleRoot" -InformationAction Continue
    $script:built = $true
}

$helpSource = Join-Path $root 'docs/cmdlets'
# The MAML help is generated by -Task Docs (PlatyPS) and committed here; Build only copies it.
$committedHelp = Join-Path $root 'src/GptImage.PowerShell/module/en-US'
$sharedModules = Join-Path $root '../shared/tools/psmodules'

function Add-SharedModulePath {
    # PlatyPS and PSScriptAnalyzer are not on NuGet: where a copy sits beside the repository
    # (../shared/tools/psmodules), it is used before the user's own.
    if ((Test-Path -LiteralPath $sharedModules) -and
        ($env:PSModulePath -split [IO.Path]::PathSeparator) -notcontains (Resolve-Path -LiteralPath $sharedModules).Path) {
        $env:PSModulePath = (Resolve-Path -LiteralPath $sharedModules).Path + [IO.Path]::PathSeparator + $env:PSModulePath
    }
}

function Test-ToolAvailable {
    # True when the module can be imported; outside CI a missing tool prints one line and the step is
    # skipped, with CI=true it is a failure, so nothing silently stops being checked.
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Step)
    Add-SharedModulePath
    if (Get-Module -ListAvailable -Name $Name) { return $true }
    if ($env:CI -eq 'true') { throw "$Step needs the PowerShell module $Name, which is not installed (CI expects it in ../shared/tools/psmodules)." }
    Write-Information "$Step skipped: the PowerShell module $Name is not installed." -InformationAction Continue
    $false
}

function Export-MamlHelp {
    # docs/cmdlets/*-*.md -> <OutputFolder>/GptImage.PowerShell.dll-Help.xml with PlatyPS 1.x.
    param([Parameter(Mandatory)] [string] $OutputFolder)
    Import-Module Microsoft.PowerShell.PlatyPS
    $work = Join-Path ([IO.Path]::GetTempPath()) ("gptimage-maml-" + [guid]::NewGuid().ToString('n'))
    try {
        $cmdletDocs = @(Get-ChildItem -LiteralPath $helpSource -Filter '*-*.md')
        $cmdletDocs.FullName | Import-MarkdownCommandHelp | Export-MamlCommandHelp -OutputFolder $work -Force | Out-Null
        # PlatyPS 1.x writes <module>/<module>-Help.xml; the binary module looks for <assembly>.dll-Help.xml.
        $generated = Get-ChildItem -LiteralPath $work -Recurse -Filter '*-Help.xml' | Select-Object -First 1
        New-Item -ItemType Directory -Path $OutputFolder -Force | Out-Null
        $target = Join-Path $OutputFolder 'GptImage.PowerShell.dll-Help.xml'
        Move-Item -LiteralPath $generated.FullName -Destination $target -Force
        Repair-MamlExample -Path $target
        $target
    }
    finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}

function Invoke-Doc {
    # New help: a later task of this run builds the module again to ship it.
    $script:built = $false
    if (-not (Test-ToolAvailable -Name Microsoft.PowerShell.PlatyPS -Step 'Docs')) { throw 'Docs needs PlatyPS 1.x (Microsoft.PowerShell.PlatyPS).' }
    $written = Export-MamlHelp -OutputFolder $committedHelp
    Write-Information "Wrote $written; commit it with the docs/cmdlets change." -InformationAction Continue
}

function Test-HelpCurrent {
    # The committed MAML must be what -Task Docs makes of docs/cmdlets today.
    if (-not (Test-ToolAvailable -Name Microsoft.PowerShell.PlatyPS -Step 'Help check')) { return }
    $temp = Join-Path ([IO.Path]::GetTempPath()) ("gptimage-help-" + [guid]::NewGuid().ToString('n'))
    try {
        $fresh = Get-Content -LiteralPath (Export-MamlHelp -OutputFolder $temp) -Raw
        $committedFile = Join-Path $committedHelp 'GptImage.PowerShell.dll-Help.xml'
        $committed = if (Test-Path -LiteralPath $committedFile) { Get-Content -LiteralPath $committedFile -Raw } else { '' }
        # Line endings aside (XmlDocument.Save writes the platform's).
        if (($fresh -replace '\r\n', "`n") -ne ($committed -replace '\r\n', "`n")) {
            throw "The committed MAML help ($committedFile) is not current with docs/cmdlets: run 'dotnet pwsh ./build.ps1 -Task Docs' and commit the result."
        }
        Write-Information 'Help check: the committed MAML is current.' -InformationAction Continue
    }
    finally { Remove-Item -LiteralPath $temp -Recurse -Force -ErrorAction SilentlyContinue }
}

function Copy-Help {
    $target = Join-Path $moduleRoot 'en-US'
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Get-ChildItem -LiteralPath $helpSource -Filter 'about_*.md' | ForEach-Object {
        # about_ topics ship as plain text help files.
        Copy-Item -LiteralPath $_.FullName -Destination (Join-Path $target ($_.BaseName + '.help.txt'))
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
    if (-not (Test-ToolAvailable -Name PSScriptAnalyzer -Step 'Analyze')) { return }
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
    # Runbooks run the examples in Windows PowerShell 5.1 too: every example of README.md and docs/cmdlets must parse
    # there and in PowerShell 7.4 (one that says it needs PowerShell 7 is checked for 7.4 only).
    Import-Module (Join-Path $root 'tests/Pester/TestHelpers.psm1') -Force
    $examples = @(Get-GptImageDocExample)
    $incompatible = @($examples | Test-GptImageExampleSyntax)
    if ($incompatible.Count -gt 0) {
        $incompatible | Write-Warning
        throw "PSUseCompatibleSyntax (5.1, 7.4): $($incompatible.Count) finding(s) in the examples."
    }
    Write-Information "PSUseCompatibleSyntax (5.1, 7.4): the $($examples.Count) examples of README.md and docs/cmdlets parse in both." -InformationAction Continue
}

function Get-PesterManifest {
    # The one Pester the suite runs with: the NuGet package pinned in .config/PowerShellModules.csproj,
    # restored into out/psmodules. A Pester installed for the user (5 or 6) is left alone.
    $proj = [xml](Get-Content -LiteralPath (Join-Path $root '.config/PowerShellModules.csproj') -Raw)
    $pesterVersion = ($proj.Project.ItemGroup.PackageDownload | Where-Object Include -eq 'Pester').Version.Trim('[]')
    $manifest = Join-Path $root "out/psmodules/pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest)) {
        Invoke-Native dotnet @('restore', (Join-Path $root '.config/PowerShellModules.csproj'), '--nologo')
    }
    $manifest
}

function Invoke-DesktopTest {
    # The engine's tests against the net472 build (tests/GptImage.Desktop.Tests), under Mono off Windows; results in
    # out/test-results/desktop.trx. Outside CI a missing Mono prints one line and the step is skipped; with CI=true
    # it is a failure (.ci/run installs it).
    param([Parameter(Mandatory)] [string] $Results)
    if (-not $IsWindows -and -not (Get-Command mono -ErrorAction Ignore)) {
        if ($env:CI -eq 'true') { throw 'The Desktop (net472) tests need Mono, which is not installed (apt-get install mono-complete).' }
        Write-Information 'Desktop (net472) tests skipped: Mono is not installed (apt-get install mono-complete).' -InformationAction Continue
        return
    }
    Invoke-Native dotnet @('test', (Join-Path $root 'tests/GptImage.Desktop.Tests'), '-c', $Configuration,
        '--logger', 'trx;LogFileName=desktop.trx', '--logger', 'console;verbosity=minimal', '--results-directory', $Results)
}

function Invoke-Test {
    # Results for tools and CI: out/test-results/xunit.trx and pester.xml.
    $results = Join-Path $root 'out/test-results'
    if ($SkipDotnetTest) { Invoke-Native dotnet @('build', (Join-Path $root 'GptImage.sln'), '-c', $Configuration) }
    else {
        Invoke-Native dotnet @('test', (Join-Path $root 'GptImage.sln'), '-c', $Configuration,
            '--logger', 'trx;LogFileName=xunit.trx', '--logger', 'console;verbosity=minimal', '--results-directory', $results)
        Invoke-DesktopTest -Results $results
    }
    Invoke-Build
    # In its own process: analysing the tests loads the Pester they name, which could be another version.
    Invoke-PowerShell @('-File', (Join-Path $root 'build.ps1'), '-Task', 'Analyze')
    Test-HelpCurrent
    Import-Module (Get-PesterManifest) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Throw = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $results 'pester.xml'
    $env:GPTIMAGE_MODULE_PATH = Join-Path $moduleRoot 'GptImage.psd1'
    $env:GPTIMAGE_EMULATOR_PATH = $emulatorPath
    # The cmdlets keep learnt task timings in the user's local data folder; where .NET lets it move (XDG_DATA_HOME
    # off Windows), the suite's emulator timings go to a folder of their own instead of the user's.
    $userData = $env:XDG_DATA_HOME
    $testData = Join-Path ([IO.Path]::GetTempPath()) ('gptimage-pester-' + [guid]::NewGuid().ToString('n'))
    if (-not $IsWindows) { $env:XDG_DATA_HOME = $testData }
    try { Invoke-Pester -Configuration $config }
    finally {
        $env:XDG_DATA_HOME = $userData
        Remove-Item -LiteralPath $testData -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Package {
    # out/package: GptImage.<version>.nupkg for PSResourceGet repositories and GptImage.zip for Azure Automation.
    # No PSResource repository is registered or changed here: the user's list stays exactly as it was.
    Invoke-Build
    $packageRoot = Join-Path $root 'out/package'
    if (Test-Path -LiteralPath $packageRoot) { Remove-Item -LiteralPath $packageRoot -Recurse -Force }
    New-Item -ItemType Directory -Path $packageRoot -Force | Out-Null
    Compress-PSResource -Path $moduleRoot -DestinationPath $packageRoot
    # Azure Automation imports a zip whose name, top folder and manifest share the module's name
    # (GptImage.zip > GptImage/GptImage.psd1), with no version folder.
    $staging = Join-Path ([IO.Path]::GetTempPath()) ('gptimage-zip-' + [guid]::NewGuid().ToString('n'))
    try {
        Copy-Item -LiteralPath $moduleRoot -Destination (Join-Path $staging 'GptImage') -Recurse
        Compress-Archive -LiteralPath (Join-Path $staging 'GptImage') -DestinationPath (Join-Path $packageRoot 'GptImage.zip') -Force
    }
    finally { Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue }
    Test-Package -PackageRoot $packageRoot
    Get-ChildItem -LiteralPath $packageRoot
}

function Get-RepositoryList {
    Get-PSResourceRepository | ForEach-Object { "$($_.Name)|$($_.Uri)|$($_.Trusted)|$($_.Priority)" } | Sort-Object
}

function Test-Package {
    # Installs the package by name from a uniquely named temporary repository into a temporary folder,
    # imports GptImage by name in a fresh PowerShell and runs one command with -WhatIf. The repository
    # list is compared before and after, so a user's own repositories are never touched.
    param([Parameter(Mandatory)] [string] $PackageRoot)
    $before = @(Get-RepositoryList)
    $repository = 'GptImageTest-' + [guid]::NewGuid().ToString('n')
    $installRoot = Join-Path ([IO.Path]::GetTempPath()) $repository
    Register-PSResourceRepository -Name $repository -Uri $PackageRoot -Trusted
    try {
        New-Item -ItemType Directory -Path $installRoot | Out-Null
        Save-PSResource -Name GptImage -Version $version -Repository $repository -Path $installRoot -TrustRepository -Quiet
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$installRoot' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module GptImage
`$module = Get-Module GptImage
if (-not `$module.ModuleBase.StartsWith('$installRoot')) { throw "GptImage was imported from `$(`$module.ModuleBase)" }
`$env:WAVESPEED_API_KEY = 'package-smoke-test'
New-GptImage -Prompt 'package smoke test' -WhatIf
"Installed GptImage `$(`$module.Version) by name from a local repository; New-GptImage -WhatIf ran."
"@
        Invoke-PowerShell @('-Command', $script)
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
        Remove-Item -LiteralPath $installRoot -Recurse -Force -ErrorAction SilentlyContinue
    }
    if (Compare-Object $before @(Get-RepositoryList)) { throw 'The PSResource repository list changed during the package test.' }
}

function Invoke-Demo {
    # The main job through the real cmdlets: a small batch submitted, waited on and saved to ./out/demo.
    # Against WaveSpeed when WAVESPEED_API_KEY is set, otherwise against the emulator started and stopped here.
    Invoke-Build
    Import-Module (Join-Path $moduleRoot 'GptImage.psd1') -Force
    $emulator = $null
    if (-not $env:WAVESPEED_API_KEY) {
        Invoke-Native dotnet @('build', (Join-Path $root 'tests/GptImage.Emulator'), '-c', $Configuration, '--nologo', '-v', 'q')
        Import-Module (Join-Path $root 'tests/Pester/TestHelpers.psm1') -Force
        $env:GPTIMAGE_EMULATOR_PATH = $emulatorPath
        $emulator = Start-GptImageEmulator -InferenceLatencyMs 1500
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        Write-Information "WAVESPEED_API_KEY is not set: using the local emulator at $($emulator.BaseUri)" -InformationAction Continue
    }
    try {
        $batch = 'A T-Rex on a sun lounger, realistic photo', 'A lighthouse in a storm, oil painting', 'A robot watering tomatoes, watercolour' |
            New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory (Join-Path $root 'out/demo')
        $batch | Format-Table | Out-Host
        $batch.Files | Format-Table -Property Name, Length, DirectoryName | Out-Host
        if (@($batch | Where-Object Status -ne 'completed').Count -gt 0 -or @($batch.Files).Count -lt 3) { throw 'The demo batch did not complete.' }
    }
    finally {
        if ($emulator) { Stop-GptImageTestSession -Emulator $emulator }
    }
}

function Invoke-Bench {
    # The cmdlet-level scenario runs the built module in dotnet pwsh: build it from the current sources first.
    Invoke-Build
    Invoke-Native dotnet @('run', '-c', 'Release', '--project', (Join-Path $root 'bench/GptImage.Benchmarks'), '--', 'all')
}

function Invoke-Mutate {
    # Run from the test project, where Stryker finds its config file; the reports land in out/mutation.
    Push-Location (Join-Path $root 'tests/GptImage.Tests')
    try { Invoke-Native dotnet @('tool', 'run', 'dotnet-stryker', '--output', (Join-Path $root 'out/mutation')) }
    finally { Pop-Location }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Analyze' { Invoke-ScriptAnalysis }
        'Docs' { Invoke-Doc }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Mutate' { Invoke-Mutate }
    }
}
