#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The key is the local emulator key of the test session.')]
param()

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50
    $script:key = ConvertTo-SecureString $emulator.ApiKey -AsPlainText -Force
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Endpoints from the environment' {
    AfterEach {
        foreach ($variable in 'WAVESPEED_BASE_URL', 'AIMLAPI_BASE_URL', 'OPENAI_BASE_URL') { [Environment]::SetEnvironmentVariable($variable, $null) }
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
    }

    It 'points one-call -Provider OpenAI at OPENAI_BASE_URL, the API root as the SDKs read it (<_>)' -ForEach '', 'v1' {
        Disconnect-GptImage
        $env:OPENAI_BASE_URL = $emulator.BaseUri + $_
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $p = New-GptImage -Provider OpenAI -ApiKey $key -Prompt 'through the variable'
        $p.Status | Should -Be 'completed'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations - $before.imageGenerations | Should -Be 1
    }

    It 'takes WAVESPEED_BASE_URL when nothing is connected, and -BaseUri before it' {
        Disconnect-GptImage
        $env:WAVESPEED_BASE_URL = $emulator.BaseUri
        (New-GptImage -ApiKey $key -Prompt 'through the variable').Status | Should -BeIn 'created', 'processing'
        $env:WAVESPEED_BASE_URL = 'https://wavespeed.invalid/'
        $info = Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri -PassThru
        $info.BaseUri | Should -Be ([uri]$emulator.BaseUri)
        (New-GptImage -Prompt 'through -BaseUri').Status | Should -BeIn 'created', 'processing'
    }

    It 'refuses a plain-http variable for another machine, as -BaseUri is refused' {
        $env:AIMLAPI_BASE_URL = 'http://gateway.example/v1'
        { New-GptImage -Provider AimlApi -ApiKey $key -Prompt 'x' } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*https*'
    }
}
