# One PowerShell session of the cmdlet-level benchmark (bench/GptImage.Benchmarks/PwshScenario.cs starts it
# in a fresh `dotnet pwsh` per run). Times Import-Module, then one piece of work through the real cmdlets,
# and writes its figures as one line of JSON. 'Import' only imports; 'First' is the first batch of a user's script
# (Import-Module, Connect-GptImage, the pipeline, nothing in between), then the same batch again in the same session.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $ApiKey,
    [Parameter(Mandatory)] [ValidateSet('Batch', 'Lone', 'Memory', 'First', 'Import')] [string] $Mode,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Count = 1
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$script = [Diagnostics.Stopwatch]::StartNew()
$import = [Diagnostics.Stopwatch]::StartNew()
Import-Module -Name $Module
$import.Stop()
if ($Mode -eq 'Import') {
    [pscustomobject]@{ ImportSeconds = $import.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
    return
}
Connect-GptImage -ApiKey (ConvertTo-SecureString -String $ApiKey -AsPlainText -Force) -BaseUri $BaseUri

$process = [Diagnostics.Process]::GetCurrentProcess()
if ($Mode -ne 'First') {
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    [GC]::Collect()
}
$process.Refresh()
$workingSet = $process.WorkingSet64
$peak = $process.PeakWorkingSet64

$startedAt = [DateTimeOffset]::UtcNow
$watch = [Diagnostics.Stopwatch]::StartNew()
switch ($Mode) {
    'Batch' {
        $done = 1..$Count | ForEach-Object { "image $_" } |
            New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory $OutputDirectory
    }
    'Lone' {
        $done = New-GptImage -Prompt 'a lone task' -Quality low -OutputDirectory $OutputDirectory -Wait
    }
    'Memory' {
        $done = New-GptImage -Prompt 'one large image' -Size 1536x1024 -Quality low -OutputDirectory $OutputDirectory -Wait
    }
    'First' {
        $done = 1..$Count | ForEach-Object { "image $_" } |
            New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory $OutputDirectory
    }
}
$watch.Stop()
$scriptSeconds = $script.Elapsed.TotalSeconds
$savedAt = [DateTimeOffset]::UtcNow
$process.Refresh()
$done = @($done)
# From the pipeline's start to the service's created_at of the first and the last task (both clocks are this machine's).
$created = @($done | Where-Object CreatedAt | ForEach-Object { $_.CreatedAt.ToUnixTimeMilliseconds() } | Sort-Object)
$again = 0
if ($Mode -eq 'First') {
    $againWatch = [Diagnostics.Stopwatch]::StartNew()
    $null = 1..$Count | ForEach-Object { "image $_" } |
        New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory (Join-Path $OutputDirectory 'again')
    $again = $againWatch.Elapsed.TotalSeconds
}
[pscustomobject]@{
    ImportSeconds   = $import.Elapsed.TotalSeconds
    WallSeconds     = $watch.Elapsed.TotalSeconds
    Completed       = @($done | Where-Object Status -EQ 'completed').Count
    Files           = @($done | ForEach-Object { $_.Files }).Count
    FileBytes       = ($done | ForEach-Object { $_.Files } | Measure-Object -Property Length -Sum).Sum
    # The lone task's end on the service is its created_at plus the latency the emulator was told.
    CreatedAt       = if ($done.Count -eq 1) { $done[0].CreatedAt.ToUnixTimeMilliseconds() } else { 0 }
    SavedAt         = $savedAt.ToUnixTimeMilliseconds()
    WorkingSetDelta = $process.WorkingSet64 - $workingSet
    PeakDelta       = [Math]::Max(0, $process.PeakWorkingSet64 - $peak)
    FirstSubmitMs   = if ($created.Count -gt 0) { $created[0] - $startedAt.ToUnixTimeMilliseconds() } else { 0 }
    LastSubmitMs    = if ($created.Count -gt 0) { $created[-1] - $startedAt.ToUnixTimeMilliseconds() } else { 0 }
    AgainSeconds    = $again
    # From before Import-Module to the end of the (first) pipeline: what a script of these three lines takes.
    ScriptSeconds   = $scriptSeconds
} | ConvertTo-Json -Compress
