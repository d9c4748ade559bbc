#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Disconnect-GptImage' {
    BeforeEach {
        $script:savedKey = $env:WAVESPEED_API_KEY
    }

    AfterEach {
        $env:WAVESPEED_API_KEY = $savedKey
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
    }

    It 'forgets the connection, so a call without a key stops with GptImage.MissingApiKey' {
        Disconnect-GptImage
        $env:WAVESPEED_API_KEY = $null
        { Get-GptImagePrediction -Id 'x' } | Should -Throw -ErrorId 'GptImage.MissingApiKey,GptImage.Commands.GetGptImagePredictionCommand'
    }

    It 'is harmless when there is no connection' {
        Disconnect-GptImage
        { Disconnect-GptImage } | Should -Not -Throw
        Disconnect-GptImage | Should -BeNullOrEmpty
    }
}
