#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    . (Join-Path $PSScriptRoot 'WebhookDelivery.ps1')
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 100
    $delivery = Receive-TestWebhook -Prompt 'a heron'
    $script:submitted = $delivery.Submitted
    $script:body = $delivery.Body
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'ConvertFrom-GptImageWebhook' {
    It 'turns the delivery into the prediction that was submitted, whose files Save-GptImage saves without a key' {
        $prediction = [pscustomobject]@{ Headers = @{}; RawBody = $body } | ConvertFrom-GptImageWebhook
        $prediction | Should -BeOfType GptImage.Prediction
        $prediction.Id | Should -Be $submitted.Id
        $prediction.Status | Should -Be 'completed'
        $prediction.Prompt | Should -Be 'a heron'
        $prediction.Usd | Should -Be $submitted.Usd
        Disconnect-GptImage
        $saved = $env:WAVESPEED_API_KEY
        try {
            $env:WAVESPEED_API_KEY = $null
            $files = $prediction | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'received')
        }
        finally {
            $env:WAVESPEED_API_KEY = $saved
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
        $files | Should -HaveCount 1
        $files[0] | Should -BeOfType System.IO.FileInfo
        $files[0].Name | Should -Be "$($submitted.Id)-0.png"
    }

    It 'reads a body from the pipeline and reports one that is not a prediction' {
        ($body | ConvertFrom-GptImageWebhook).Id | Should -Be $submitted.Id
        '{"status":"completed"}' | ConvertFrom-GptImageWebhook -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidResponse,*'
    }

    It 'takes the first 16 outputs of a delivery with 1000, warns and records how many were dropped' {
        $outputs = (0..999 | ForEach-Object { '"https://cdn.example.net/o/' + $_ + '.png"' }) -join ','
        $body = '{"id":"many","model":"openai/gpt-image-1/text-to-image","status":"completed","outputs":[' + $outputs + ']}'
        $p = ConvertFrom-GptImageWebhook -RawBody $body -WarningVariable warnings -WarningAction SilentlyContinue
        $p.Outputs | Should -HaveCount 16
        $p.OutputsDropped | Should -Be 984
        "$warnings" | Should -BeLike '*first 16 are taken and 984 dropped*'
    }

    It 'has help with examples' {
        @((Get-Help ConvertFrom-GptImageWebhook -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
