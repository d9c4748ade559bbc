#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession
    $script:shots = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'shots')
    'beach', 'city', 'forest' | ForEach-Object { New-TestPng -Path (Join-Path $shots "$_.png") }
    Set-Content -LiteralPath (Join-Path $shots 'notes.txt') -Value 'not an image'
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Edit-GptImage' {
    It 'edits every PNG piped from Get-ChildItem, each keeping its source (DESIGN example 3)' {
        $edited = Join-Path $TestDrive 'edited'
        $results = Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'pastel colours' -OutputDirectory $edited -Wait |
            Where-Object Status -eq 'completed'
        $results | Should -HaveCount 3
        ($results.SourcePath | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object) | Should -Be @('beach.png', 'city.png', 'forest.png')
        foreach ($r in $results) {
            $r.Files[0].Name | Should -BeLike "$([IO.Path]::GetFileNameWithoutExtension($r.SourcePath))-*"
            $r.Files[0].FullName | Should -Exist
        }
    }

    It 'expands wildcards in -Path' {
        $results = Edit-GptImage -Path (Join-Path $shots '*.png') -Prompt 'x'
        $results | Should -HaveCount 3
    }

    It 'takes -LiteralPath without expanding wildcards' {
        $odd = New-TestPng -Path (Join-Path $TestDrive 'odd[1].png')
        $result = Edit-GptImage -LiteralPath $odd.FullName -Prompt 'x'
        $result.SourcePath | Should -Be $odd.FullName
    }

    It 'says when -Path matches nothing, as Get-Item does' -TestCases @(
        @{ Pattern = 'nomatch*.png' }
        @{ Pattern = '[br]acket.png' }
    ) {
        param($Pattern)
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $results = Edit-GptImage -Path (Join-Path $shots $Pattern) -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.FileNotFound,GptImage.Commands.EditGptImageCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).requests | Should -Be ($before.requests + 1) # the statistics call
    }

    It 'refuses a FIFO without opening it and edits the rest' -Skip:$IsWindows {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'fifo')
        & mkfifo (Join-Path $folder 'in.png')
        $null = New-TestPng -Path (Join-Path $folder 'ok.png')
        $results = Get-ChildItem $folder | Edit-GptImage -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.SourcePath | Should -Be (Join-Path $folder.FullName 'ok.png')
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.InvalidFile,GptImage.Commands.EditGptImageCommand'
    }

    It 'checks a PNG bomb as a mask from its header, without inflating its metadata, even under -WhatIf' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bomb')
        $mask = New-TestPngBomb -Path (Join-Path $folder 'mask.png')
        $image = New-TestPng -Path (Join-Path $folder 'image.png')
        $before = [GC]::GetTotalAllocatedBytes($true)
        $elapsed = Measure-Command { Edit-GptImage -Path $image -Mask $mask -Prompt 'x' -WhatIf }
        # Its chunks inflate to 600 MB; reading two headers takes a few MB.
        ([GC]::GetTotalAllocatedBytes($true) - $before) | Should -BeLessThan 100mb
        $elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'reports an unreadable file as a non-terminating error and edits the rest' -Skip:($IsWindows -or (& id -u) -eq '0') {
        # Root reads every file, so this runs only as an ordinary user.
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'locked')
        $locked = New-TestPng -Path (Join-Path $folder 'locked.png')
        $null = New-TestPng -Path (Join-Path $folder 'ok.png')
        & chmod 000 $locked.FullName
        try {
            $results = Get-ChildItem $folder | Edit-GptImage -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally {
            & chmod 644 $locked.FullName
        }
        $results.SourcePath | Should -Be (Join-Path $folder.FullName 'ok.png')
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.FileNotReadable,GptImage.Commands.EditGptImageCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'reports a file another program holds locked as a non-terminating error and edits the rest' {
        # A lock stops every user, root included, so this case runs everywhere.
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'held')
        $held = New-TestPng -Path (Join-Path $folder 'held.png')
        $null = New-TestPng -Path (Join-Path $folder 'ok.png')
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $lock = [IO.File]::Open($held.FullName, 'Open', 'Read', 'None')
        try {
            $results = Get-ChildItem $folder | Edit-GptImage -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally {
            $lock.Dispose()
        }
        $results.SourcePath | Should -Be (Join-Path $folder.FullName 'ok.png')
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.FileNotReadable,GptImage.Commands.EditGptImageCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].Exception.Message | Should -BeLike "*$($held.FullName)*"
        ((Get-GptImageEmulatorStatistic -Emulator $emulator).submits - $before.submits) | Should -Be 1
    }

    It 'reports a file that is not an image and edits the rest' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $results = Get-ChildItem $shots | Edit-GptImage -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results | Should -HaveCount 3
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidFile,*'
        $problems[0].TargetObject | Should -BeLike '*notes.txt'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submits - $before.submits | Should -Be 3
    }

    It 'reports a missing path as GptImage.FileNotFound' {
        Edit-GptImage -Path (Join-Path $TestDrive 'missing.png') -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.FileNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a path on another provider and edits the rest' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $results = Edit-GptImage -Path 'Env:/PATH', (Join-Path $shots 'beach.png') -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results | Should -HaveCount 1
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidParameter,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject | Should -Be 'Env:/PATH'
        Edit-GptImage -LiteralPath 'Env:/PATH' -Prompt 'x' -ErrorVariable literal -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $literal[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidParameter,*'
        { Edit-GptImage -Path (Join-Path $shots 'beach.png') -Mask 'Env:/PATH' -Prompt 'x' } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submits - $before.submits | Should -Be 1
    }

    It 'tells how many input images a task takes in its ShouldProcess text' {
        $messages = Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'x' -Model gpt-image-1-mini -CombineImages -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*Submit a paid image task*' }
        $messages | Should -HaveCount 1
        $messages[0].Message | Should -BeLike '*3 input images*'
    }

    It 'makes one edit of several images only with -CombineImages' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $result = Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'x' -Model gpt-image-1-mini -CombineImages
        $result | Should -HaveCount 1
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submits - $before.submits | Should -Be 1
    }

    It 'uploads nothing and submits nothing with -WhatIf' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'x' -WhatIf | Should -BeNullOrEmpty
        $after = Get-GptImageEmulatorStatistic -Emulator $emulator
        $after.uploads | Should -Be $before.uploads
        $after.submitRequests | Should -Be $before.submitRequests
    }

    It 'refuses a mask on a model that takes none before reading any input' {
        $mask = New-TestPng -Path (Join-Path $TestDrive 'mask.png')
        { Edit-GptImage -Path (Join-Path $shots 'beach.png') -Mask $mask.FullName -Model gpt-image-1-mini -Prompt 'x' } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand'
    }
}

Describe 'Edit-GptImage: the pages field by field' {
    It 'refuses -Moderation on <_> edits before sending, naming New-GptImage' -ForEach 'AimlApi', 'OpenAI' {
        try {
            Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            $before = Get-GptImageEmulatorStatistic -Emulator $emulator
            { Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x' -Moderation low } |
                Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand' -ExpectedMessage '*New-GptImage*'
            (Get-GptImageEmulatorStatistic -Emulator $emulator).imageEdits | Should -Be $before.imageEdits
            $null = Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x'
            (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).fields.PSObject.Properties.Name | Should -Not -Contain 'moderation'
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }

    It 'adds -AdditionalParameter fields to an <_> multipart edit as text' -ForEach 'AimlApi', 'OpenAI' {
        try {
            Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            $null = Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x [emulator:extra-fields]' -AdditionalParameter @{ user = 'runbook-7'; partial = $true }
            $fields = (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).fields
            $fields.user | Should -Be 'runbook-7'
            $fields.partial | Should -Be 'true'
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }

    It 'asks WaveSpeed for base64 outputs and saves them, or for a webhook call' {
        $p = Edit-GptImage -Path (Join-Path $shots 'city.png') -Prompt 'x' -Base64Output -OutputDirectory (Join-Path $TestDrive 'edited-b64')
        (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).body.enable_base64_output | Should -BeTrue
        $p.Files | Should -HaveCount 1
        $p.Files[0].Name | Should -BeLike 'city-*.png'
        $null = Edit-GptImage -Path (Join-Path $shots 'city.png') -Prompt 'x' -WebhookUri https://hooks.example.net/edited
        (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).query.webhook | Should -Be 'https://hooks.example.net/edited'
        { Edit-GptImage -Path (Join-Path $shots 'city.png') -Prompt 'x' -Base64Output -WebhookUri https://hooks.example.net/edited } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand'
    }

    It 'refuses a WebP input to gpt-image-1-mini before uploading it' {
        $webp = Join-Path $TestDrive 'photo.webp'
        [IO.File]::WriteAllBytes($webp, [Text.Encoding]::ASCII.GetBytes('RIFF....WEBPVP8 ' + ('.' * 24)))
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        Edit-GptImage -LiteralPath $webp -Model gpt-image-1-mini -Prompt 'x' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidFile,*'
        $problems[0].Exception.Message | Should -BeLike '*PNG and JPG only*'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).uploads | Should -Be $before.uploads
    }

    It 'sends the edit size as W*H on WaveSpeed and an unknown edit model as given, inputs in an images array' {
        $null = Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x' -Size 1024x1536
        (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).body.size | Should -BeExactly '1024*1536'
        Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x' -Model openai/gpt-image-3/edit -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        "$warnings" | Should -BeLike '*openai/gpt-image-3/edit*'
    }
}
