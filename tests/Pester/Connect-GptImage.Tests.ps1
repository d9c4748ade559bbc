#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession -NoConnect
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Connect-GptImage' {
    It 'sets the session connection and never shows the key' {
        $info = Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri -MaxTasksInFlight 2 -PassThru
        $info.BaseUri | Should -Be ([uri]$emulator.BaseUri)
        $info.KeySource | Should -Be 'Parameter'
        $info.MaxTasksInFlight | Should -Be 2
        ($info | Format-List | Out-String) | Should -Not -BeLike "*$($emulator.ApiKey)*"
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        (New-GptImage -Prompt 'x').Status | Should -Be 'created'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submits - $before.submits | Should -Be 1
    }

    It 'refuses to send a key over plain http to another machine' {
        { Connect-GptImage -ApiKey 'k' -BaseUri 'http://api.example.com' } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.ConnectGptImageCommand'
    }

    It 'keeps the in-flight cap: a batch above it is never refused with 429' {
        Stop-GptImageEmulator -Emulator $emulator
        $script:emulator = Start-GptImageEmulator -ArgumentList '--Emulator:MaxConcurrentTasks', '2'
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri -MaxTasksInFlight 2
        $done = 1..5 | ForEach-Object { "image $_" } | New-GptImage | Wait-GptImagePrediction
        $done | Should -HaveCount 5
        $stats = Get-GptImageEmulatorStatistic -Emulator $emulator
        $stats.rateLimited | Should -Be 0
        $stats.maxTasksInFlight | Should -Be 2
    }
}

Describe 'The connection of a runspace' {
    It 'is neither seen, replaced nor forgotten by another runspace of the process' {
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        $saved = $env:WAVESPEED_API_KEY
        $env:WAVESPEED_API_KEY = $null
        try {
            $module = (Get-Module GptImage).Path
            $uri = $emulator.BaseUri
            $other = Start-ThreadJob -ScriptBlock {
                Import-Module $using:module -ErrorAction Stop
                $before = try { New-GptImage -Prompt 'x' -ErrorAction Stop; 'submitted' } catch { $_.FullyQualifiedErrorId }
                Connect-GptImage -ApiKey 'not-the-key' -BaseUri $using:uri
                $after = try { New-GptImage -Prompt 'x' -ErrorAction Stop; 'submitted' } catch { $_.FullyQualifiedErrorId }
                Disconnect-GptImage
                [pscustomobject]@{ Before = $before; After = $after }
            } | Receive-Job -Wait -AutoRemoveJob
            $other.Before | Should -Be 'GptImage.MissingApiKey,GptImage.Commands.NewGptImageCommand'
            $other.After | Should -Be 'GptImage.AuthenticationFailed,GptImage.Commands.NewGptImageCommand'
            (New-GptImage -Prompt 'x').Status | Should -Be 'created'
        }
        finally {
            $env:WAVESPEED_API_KEY = $saved
        }
    }
}
