#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Save-GptImage' {
    It 'writes the saved files as FileInfo for Copy-Item' {
        $out = Join-Path $TestDrive 'saved'
        $copies = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'copies')
        $files = New-GptImage -Prompt 'a lighthouse at dawn' | Save-GptImage -OutputDirectory $out
        $files | Should -HaveCount 1
        $files[0] | Should -BeOfType System.IO.FileInfo
        $files | Copy-Item -Destination $copies
        Get-ChildItem $copies | Should -HaveCount 1
    }

    It 'never overwrites without -Force' {
        $p = New-GptImage -Prompt 'x' -Wait
        $target = Join-Path $TestDrive 'poster.png'
        Set-Content -LiteralPath $target -Value 'keep me'
        $p | Save-GptImage -OutFile $target -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.FileExists,*'
        Get-Content -LiteralPath $target | Should -Be 'keep me'
        ($p | Save-GptImage -OutFile $target -Force).FullName | Should -Be $target
        $reference = $p | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'reference')
        (Get-FileHash -LiteralPath $target).Hash | Should -Be (Get-FileHash -LiteralPath $reference.FullName).Hash -Because '-Force replaced the content'
    }

    It 'says GptImage.MissingApiKey for a prediction it must query when no key is known, and goes on' {
        $running = New-GptImage -Prompt 'x'
        Disconnect-GptImage
        $saved = $env:WAVESPEED_API_KEY
        $env:WAVESPEED_API_KEY = $null
        try {
            $running | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'nokey') -ErrorVariable problems -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.MissingApiKey,GptImage.Commands.SaveGptImageCommand'
            $problems[0].Exception.Message | Should -BeLike '*WAVESPEED_API_KEY*'
        }
        finally {
            $env:WAVESPEED_API_KEY = $saved
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }

    It 'downloads and writes nothing with -WhatIf' {
        $p = New-GptImage -Prompt 'x' -Wait
        $out = Join-Path $TestDrive 'whatif'
        $served = Measure-GptImageEmulatorRequest -Emulator $emulator { $p | Save-GptImage -OutputDirectory $out -WhatIf | Should -BeNullOrEmpty }
        $out | Should -Not -Exist
        ($served.downloadRequests, $served.resultQueries) | Should -Be @(0, 0)
    }

    It 'names files from a template' {
        $out = Join-Path $TestDrive 'templated'
        $file = New-GptImage -Prompt 'x' | Save-GptImage -OutputDirectory $out -FileNameTemplate '{model}-{index}'
        $file.Name | Should -Be 'gpt-image-1-0.png'
    }
}
