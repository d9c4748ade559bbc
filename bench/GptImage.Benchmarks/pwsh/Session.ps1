# One PowerShell session of the cmdlet-level benchmark (bench/GptImage.Benchmarks/PwshScenario.cs starts it
# in a fresh `dotnet pwsh` per run). Times Import-Module, then one piece of work through the real cmdlets,
# and writes its figures as one line of JSON.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $ApiKey,
    [Parameter(Mandatory)] [ValidateSet('Batch', 'Lone', 'Memory')] [string] $Mode,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Count = 1
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$import = [Diagnostics.Stopwatch]::StartNew()
Import-Module -Name $Module
$import.Stop()
Connect-GptImage -ApiKey (ConvertTo-SecureString -String $ApiKey -AsPlainText -Force) -BaseUri $BaseUri

[GC]::Collect()
[GC]::WaitForPendingFinalizers()
[GC]::Collect()
$process = [Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
$workingSet = $process.WorkingSet64
$peak = $process.PeakWorkingSet64

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
}
$watch.Stop()
$savedAt = [DateTimeOffset]::UtcNow
$process.Refresh()
$done = @($done)
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
} | ConvertTo-Json -Compress
