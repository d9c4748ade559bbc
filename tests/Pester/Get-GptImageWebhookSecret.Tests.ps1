#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Get-GptImageWebhookSecret' {
    It 'writes the secret as a SecureString, or as text with -AsPlainText' {
        $secure = Get-GptImageWebhookSecret
        $secure | Should -BeOfType [securestring]
        [System.Net.NetworkCredential]::new('', $secure).Password | Should -BeLike 'whsec_*'
        Get-GptImageWebhookSecret -AsPlainText | Should -Be ([System.Net.NetworkCredential]::new('', $secure).Password)
    }

    It 'never shows the secret in -Verbose' {
        $plain = Get-GptImageWebhookSecret -AsPlainText
        $verbose = Get-GptImageWebhookSecret -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message -join "`n" | Should -Not -BeLike "*$plain*"
        $verbose.Message -join "`n" | Should -BeLike '*/api/v3/webhook/secret*'
    }

    It 'is refused before sending on <_>, naming WaveSpeed' -ForEach 'AimlApi', 'OpenAI' {
        { Get-GptImageWebhookSecret -Provider $_ -ApiKey 'any' } |
            Should -Throw -ErrorId 'GptImage.NotSupported,GptImage.Commands.GetGptImageWebhookSecretCommand' -ExpectedMessage '*WaveSpeed*'
    }

    It 'has help with examples' {
        @((Get-Help Get-GptImageWebhookSecret -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
