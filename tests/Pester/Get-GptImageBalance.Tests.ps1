#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Get-GptImageBalance' {
    It 'writes the balance in USD, lowered by what a submit costs' {
        $before = Get-GptImageBalance
        $before.Provider | Should -Be 'WaveSpeed'
        $before.Currency | Should -Be 'USD'
        $before.Balance | Should -BeOfType [decimal]
        $p = New-GptImage -Prompt 'x' -Quality high -Size 1536x1024
        (Get-GptImageBalance).Balance | Should -Be ($before.Balance - $p.Usd)
    }

    It 'is refused before sending on <_>, naming WaveSpeed' -ForEach 'AimlApi', 'OpenAI' {
        { Get-GptImageBalance -Provider $_ -ApiKey 'any' } | Should -Throw -ErrorId 'GptImage.NotSupported,GptImage.Commands.GetGptImageBalanceCommand' -ExpectedMessage '*WaveSpeed*'
    }

    It 'has help with examples' {
        @((Get-Help Get-GptImageBalance -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
        (Get-Help Get-GptImageBalance).Synopsis | Should -Be "Gets the account's balance."
    }
}
