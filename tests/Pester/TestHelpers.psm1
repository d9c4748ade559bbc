# Shared by the Pester suite: finds the built module and runs the API emulator as a process.
Set-StrictMode -Version Latest

$repositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path

function Get-GptImageModulePath {
    <#
    .SYNOPSIS
    The manifest under test: $env:GPTIMAGE_MODULE_PATH (set by build.ps1), else the newest out/GptImage/<version>.
    #>
    if ($env:GPTIMAGE_MODULE_PATH) { return $env:GPTIMAGE_MODULE_PATH }
    $manifest = Get-ChildItem -LiteralPath (Join-Path $repositoryRoot 'out/GptImage') -Filter 'GptImage.psd1' -Recurse -ErrorAction SilentlyContinue |
        Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
    if (-not $manifest) { throw 'The module is not built: run ./build.ps1 first.' }
    $manifest.FullName
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
    $dll = Get-ChildItem -LiteralPath (Join-Path $repositoryRoot 'tests/GptImage.Emulator/bin') -Filter 'GptImage.Emulator.dll' -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.DirectoryName -notmatch '[\\/]ref$' } |
        Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw 'The emulator is not built: run dotnet build GptImage.sln first.' }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $arguments = @($dll.FullName, '--urls', 'http://127.0.0.1:0', '--Emulator:InferenceLatencyMs', [string]$InferenceLatencyMs) + $ArgumentList
    foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.RedirectStandardOutput = $true
    $startInfo.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($startInfo)
    # The emulator's first line: "GptImage emulator listening on http://127.0.0.1:<port>/ (API key: <key>). Ctrl+C to stop."
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (?<uri>\S+) \(API key: (?<key>[^)]+)\)') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The emulator did not start: $line"
    }
    [pscustomobject]@{
        BaseUri = $Matches.uri
        ApiKey  = $Matches.key
        Process = $process
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
    if (-not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill()
        $null = $Emulator.Process.WaitForExit(10000)
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

function Start-GptImageTestSession {
    <#
    .SYNOPSIS
    Imports the module under test (globally), starts an emulator and connects to it; returns the emulator.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([int] $InferenceLatencyMs = 200, [switch] $NoConnect)
    Import-Module (Get-GptImageModulePath) -Force -Global
    $emulator = Start-GptImageEmulator -InferenceLatencyMs $InferenceLatencyMs
    if (-not $NoConnect) { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }
    $emulator
}

function Stop-GptImageTestSession {
    <#
    .SYNOPSIS
    Forgets the session connection and stops the emulator of Start-GptImageTestSession.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches what the test run owns.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Disconnect-GptImage
    Stop-GptImageEmulator -Emulator $Emulator
}

Export-ModuleMember -Function Get-GptImageModulePath, Start-GptImageEmulator, Stop-GptImageEmulator, Get-GptImageEmulatorStatistic, New-TestPng,
    Start-GptImageTestSession, Stop-GptImageTestSession
