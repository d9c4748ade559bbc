# Shared by the Pester suite: finds the built module and runs the API emulator as a process.
Set-StrictMode -Version Latest

$repositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path

function Get-NamedTestFile {
    # The file an environment variable names (build.ps1 sets it); never a guess such as the newest build.
    param([Parameter(Mandatory)] [string] $Variable, [Parameter(Mandatory)] [string] $What)
    $path = [Environment]::GetEnvironmentVariable($Variable)
    if (-not $path) { throw "$Variable is not set: run the suite with ./build.ps1 -Task Test, or set it to the $What to test." }
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { throw "$Variable names '$path', which does not exist: build it first (./build.ps1)." }
    (Resolve-Path -LiteralPath $path).ProviderPath
}

function Get-GptImageModulePath {
    <#
    .SYNOPSIS
    The manifest under test: the one $env:GPTIMAGE_MODULE_PATH names (set by build.ps1).
    #>
    Get-NamedTestFile -Variable 'GPTIMAGE_MODULE_PATH' -What 'module manifest (out/GptImage/<version>/GptImage.psd1)'
}

function Start-GptImageEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on a free loopback port and returns its base URI, key and process.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param(
        [int] $InferenceLatencyMs = 200,
        [string[]] $ArgumentList = @()
    )
    $dll = Get-NamedTestFile -Variable 'GPTIMAGE_EMULATOR_PATH' -What 'emulator (tests/GptImage.Emulator/bin/<configuration>/net10.0/GptImage.Emulator.dll)'
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $arguments = @($dll, '--urls', 'http://127.0.0.1:0', '--Emulator:InferenceLatencyMs', [string]$InferenceLatencyMs) + $ArgumentList
    foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.RedirectStandardOutput = $true
    $startInfo.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $emulator = [pscustomobject]@{ BaseUri = $null; ApiKey = $null; Process = $process; ProcessId = $process.Id }
    try {
        # The emulator's first line: "GptImage emulator listening on http://127.0.0.1:<port>/ (API key: <key>). Ctrl+C to stop."
        $line = $process.StandardOutput.ReadLine()
        if ($line -notmatch 'listening on (?<uri>\S+) \(API key: (?<key>[^)]+)\)') { throw "The emulator did not start: $line" }
        $emulator.BaseUri = $Matches.uri
        $emulator.ApiKey = $Matches.key
        $emulator
    }
    catch {
        Stop-GptImageEmulator -Emulator $emulator
        throw
    }
}

function Stop-GptImageEmulator {
    <#
    .SYNOPSIS
    Stops an emulator started by Start-GptImageEmulator.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    # By the id of the process this helper started, whatever state its object is in.
    $process = Get-Process -Id $Emulator.ProcessId -ErrorAction Ignore
    if ($process -and $process.StartTime -eq $Emulator.Process.StartTime) {
        $process.Kill()
        $null = $process.WaitForExit(10000)
    }
    $Emulator.Process.Dispose()
}

function Get-GptImageEmulatorStatistic {
    <#
    .SYNOPSIS
    What the emulator has served so far: submits, resultQueries, uploads, downloads...
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri ($Emulator.BaseUri + '_emulator/stats')
}

function Measure-GptImageEmulatorRequest {
    <#
    .SYNOPSIS
    Runs a script block and returns how much each emulator statistic grew meanwhile (submitRequests, uploads...).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $before = Get-GptImageEmulatorStatistic -Emulator $Emulator
    $null = & $ScriptBlock
    $after = Get-GptImageEmulatorStatistic -Emulator $Emulator
    $grown = [ordered]@{}
    foreach ($property in $after.PSObject.Properties) { $grown[$property.Name] = $property.Value - $before.($property.Name) }
    [pscustomobject]$grown
}

function New-TestPng {
    <#
    .SYNOPSIS
    A real PNG (1x1, red) at the given path, for edit inputs.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $bytes = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC')
    [System.IO.File]::WriteAllBytes($Path, $bytes)
    Get-Item -LiteralPath $Path
}

function New-TestPngBomb {
    <#
    .SYNOPSIS
    A valid 1x1 PNG of a few hundred KB whose zTXt, iTXt and iCCP chunks each inflate to 200 MB of zeros.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $zeros = [IO.MemoryStream]::new()
    $z = [IO.Compression.ZLibStream]::new($zeros, [IO.Compression.CompressionLevel]::SmallestSize, $true)
    $block = [byte[]]::new(1mb)
    for ($i = 0; $i -lt 200; $i++) { $z.Write($block, 0, $block.Length) }
    $z.Dispose()
    $png = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC')
    $out = [IO.MemoryStream]::new()
    $out.Write($png, 0, 33) # the signature and IHDR
    foreach ($chunk in @(@('zTXt', [byte[]](0x43, 0x6F, 0x6D, 0x6D, 0x65, 0x6E, 0x74, 0, 0)), @('iTXt', [byte[]](0x43, 0x6F, 0x6D, 0x6D, 0x65, 0x6E, 0x74, 0, 1, 0, 0, 0)), @('iCCP', [byte[]](0x69, 0x63, 0x63, 0, 0)))) {
        $data = [byte[]]($chunk[1] + $zeros.ToArray())
        $length = [BitConverter]::GetBytes([int]$data.Length); [Array]::Reverse($length)
        $out.Write($length, 0, 4)
        $out.Write([Text.Encoding]::ASCII.GetBytes($chunk[0]), 0, 4)
        $out.Write($data, 0, $data.Length)
        $out.Write([byte[]](0, 0, 0, 0), 0, 4) # decoders check the CRC of critical chunks only
    }
    $out.Write($png, 33, $png.Length - 33)
    [System.IO.File]::WriteAllBytes($Path, $out.ToArray())
    Get-Item -LiteralPath $Path
}

function Start-GptImageTestSession {
    <#
    .SYNOPSIS
    Imports the module under test (globally), starts an emulator and connects to it; returns the emulator.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([int] $InferenceLatencyMs = 200, [switch] $NoConnect, [string[]] $ArgumentList = @())
    Import-Module (Get-GptImageModulePath) -Force -Global -ErrorAction Stop
    $emulator = Start-GptImageEmulator -InferenceLatencyMs $InferenceLatencyMs -ArgumentList $ArgumentList
    try {
        if (-not $NoConnect) { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri -ErrorAction Stop }
    }
    catch {
        Stop-GptImageEmulator -Emulator $emulator
        throw
    }
    $emulator
}

function Stop-GptImageTestSession {
    <#
    .SYNOPSIS
    Forgets the session connection and stops the emulator of Start-GptImageTestSession.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([AllowNull()] $Emulator)
    try { Disconnect-GptImage }
    finally { if ($Emulator) { Stop-GptImageEmulator -Emulator $Emulator } }
}

function Get-GptImageDocExample {
    <#
    .SYNOPSIS
    Every PowerShell example of docs/cmdlets/*.md and README.md, as Name and Code.
    .DESCRIPTION
    Cmdlet help: each "### Example N" code block, named "<file>: Example N". about_GptImage: each indented
    paragraph under EXAMPLES. README.md: each paragraph (lines between blank lines) of a powershell block, named
    by its heading and its first comment; the block under "Build and install" is build.ps1's own commands, which
    CI runs itself.
    #>
    [CmdletBinding()]
    param()
    $docs = Join-Path $repositoryRoot 'docs/cmdlets'
    foreach ($file in Get-ChildItem -LiteralPath $docs -Filter '*-*.md' | Sort-Object -Property Name) {
        $section = [regex]::Match((Get-Content -LiteralPath $file.FullName -Raw), '(?ms)^## EXAMPLES\s*$(?<body>.*?)^## ').Groups['body'].Value
        foreach ($match in [regex]::Matches($section, '(?ms)^### (?<title>Example \d+)[^\r\n]*\r?\n.*?^```powershell\r?\n(?<code>.*?)^```')) {
            [pscustomobject]@{ Name = "$($file.Name): $($match.Groups['title'].Value)"; Code = $match.Groups['code'].Value.Trim() }
        }
    }
    $about = Get-Content -LiteralPath (Join-Path $docs 'about_GptImage.md') -Raw
    $section = [regex]::Match($about, '(?ms)^## EXAMPLES\s*$(?<body>.*?)^## ').Groups['body'].Value
    $number = 0
    foreach ($paragraph in $section -split '(\r?\n){2,}' | Where-Object { $_.Trim() }) {
        $number++
        $code = ($paragraph -split '\r?\n' | ForEach-Object { $_ -replace '^    ', '' }) -join "`n"
        [pscustomobject]@{ Name = "about_GptImage.md: Example $number"; Code = $code.Trim() }
    }
    $heading = ''
    $block = $null
    foreach ($line in (Get-Content -LiteralPath (Join-Path $repositoryRoot 'README.md')) + '') {
        if ($null -eq $block) {
            if ($line -match '^## (?<heading>.+)') { $heading = $Matches.heading.Trim() }
            elseif ($line -eq '```powershell' -and $heading -ne 'Build and install') { $block = [Collections.Generic.List[string]]::new() }
            continue
        }
        if ($line -ne '```' -and $line.Trim()) { $block.Add($line); continue }
        if ($block.Count) {
            $title = ($block | Where-Object { $_ -match '^#' } | Select-Object -First 1) -replace '^#\s*', ''
            [pscustomobject]@{ Name = "README.md: $($heading): $title"; Code = ($block -join "`n").Trim() }
            $block.Clear()
        }
        if ($line -eq '```') { $block = $null }
    }
}


function Invoke-OpenAISdk {
    <#
    .SYNOPSIS
    Runs a script of tests/Sdk with Node.js and OpenAI's official TypeScript SDK (the version package-lock.json pins),
    and returns the JSON objects it prints, one per line. The SDK is installed with npm ci the first time.
    .DESCRIPTION
    Without node, outside CI, the calling test is skipped with the reason; in CI (.ci/run installs Node.js) it fails.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string[]] $ArgumentList = @()
    )
    $sdk = Join-Path $repositoryRoot 'tests/Sdk'
    if (-not (Get-Command node -CommandType Application -ErrorAction Ignore)) {
        if ($env:CI -eq 'true') { throw 'Node.js (node, npm) is required for the SDK checks; .ci/run installs it.' }
        Set-ItResult -Skipped -Because 'Node.js is not installed (the SDK checks need node and npm)'
        return
    }
    $pinned = (Get-Content -Raw -LiteralPath (Join-Path $sdk 'package.json') | ConvertFrom-Json).dependencies.openai
    $installed = Join-Path $sdk 'node_modules/openai/package.json'
    if (-not (Test-Path -LiteralPath $installed) -or (Get-Content -Raw -LiteralPath $installed | ConvertFrom-Json).version -ne $pinned) {
        # In the folder itself, not with --prefix: --prefix also moves npm's global configuration (the system's
        # certificate settings among it) to a folder under the prefix.
        Push-Location -LiteralPath $sdk
        try { $installing = & npm ci --no-audit --no-fund 2>&1 }
        finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw "npm ci in tests/Sdk failed (exit $LASTEXITCODE): $(($installing | Select-Object -Last 5) -join ' ')" }
    }
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, [string]$Environment[$name])
    }
    try {
        $lines = & node (Join-Path $sdk $Script) @ArgumentList 2>&1
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    if ($exit -ne 0) { throw "node $Script failed (exit $exit): $($lines -join [Environment]::NewLine)" }
    foreach ($line in $lines) { if ("$line".StartsWith('{')) { "$line" | ConvertFrom-Json } }
}

function Test-GptImageExampleSyntax {
    <#
    .SYNOPSIS
    PSScriptAnalyzer's PSUseCompatibleSyntax over examples (Name and Code, as Get-GptImageDocExample gives them):
    one line per finding, naming the example; nothing when each parses in Windows PowerShell 5.1 and PowerShell 7.4.
    .DESCRIPTION
    An example whose text says it needs PowerShell 7 ("PowerShell 7" in its code or comment) is checked for 7.4 only.
    Needs PSScriptAnalyzer on the module path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, ValueFromPipeline)] $Example)
    begin { Import-Module PSScriptAnalyzer }
    process {
        $targets = if ($Example.Code -match 'PowerShell 7') { @('7.4') } else { @('5.1', '7.4') }
        $settings = @{
            IncludeRules = @('PSUseCompatibleSyntax')
            Rules        = @{ PSUseCompatibleSyntax = @{ Enable = $true; TargetVersions = $targets } }
        }
        foreach ($finding in Invoke-ScriptAnalyzer -ScriptDefinition $Example.Code -Settings $settings) {
            "$($Example.Name), line $($finding.Line): $($finding.Message)"
        }
    }
}

Export-ModuleMember -Function Test-GptImageExampleSyntax, Get-GptImageDocExample, Measure-GptImageEmulatorRequest, Get-GptImageModulePath, Start-GptImageEmulator, Stop-GptImageEmulator, Get-GptImageEmulatorStatistic, New-TestPng, New-TestPngBomb,
    Start-GptImageTestSession, Stop-GptImageTestSession, Invoke-OpenAISdk
