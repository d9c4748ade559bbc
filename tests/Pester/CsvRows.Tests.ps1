#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Rows of a CSV through the real cmdlets: every value a row carries binds by property name and goes on the wire.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession

    # Passes the rows on one at a time, each only once the previous row's submit has reached the emulator, and keeps
    # that submit's body: so every row's own wire body is seen, from one New-GptImage call.
    function Get-Field {
        # A field of a submitted body, or nothing when the body has no such field (as under Set-StrictMode).
        param($Body, [string] $Name)
        $field = $Body.PSObject.Properties[$Name]
        if ($field) { $field.Value }
    }

    function Send-Row {
        param([Parameter(ValueFromPipeline)] $Row, [int[]] $Submits, [System.Collections.Generic.List[object]] $Wire)
        begin { $script:rowIndex = 0; $script:baseSubmits = (Get-GptImageEmulatorStatistic -Emulator $emulator).submits }
        process {
            if ($script:rowIndex -gt 0) { Wait-Submit -Count $Submits[$script:rowIndex - 1] -Wire $Wire }
            $script:rowIndex++
            $Row
        }
        end { Wait-Submit -Count $Submits[$script:rowIndex - 1] -Wire $Wire }
    }
    function Wait-Submit([int] $Count, $Wire) {
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((Get-GptImageEmulatorStatistic -Emulator $emulator).submits -lt $script:baseSubmits + $Count) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "submit $Count did not arrive" }
            Start-Sleep -Milliseconds 20
        }
        $last = (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).body
        if ($Wire.Count -lt $Count) { $Wire.Add($last) }
    }
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'New-GptImage with CSV rows' {
    It 'sends each row with its own size and quality, refuses a bad row alone, and takes the defaults where a cell is empty (<Source>)' -ForEach @(
        @{ Source = 'ConvertFrom-Csv' }, @{ Source = 'Import-Csv' }
    ) {
        $text = "Prompt,Size,Quality`nwide,1536x1024,high`nbad,7x7,low`ntall,1024x1536,low`nplain,,`n"
        $rows = if ($Source -eq 'Import-Csv') {
            $file = Join-Path $TestDrive 'jobs.csv'
            Set-Content -LiteralPath $file -Value $text
            Import-Csv -LiteralPath $file
        } else { $text | ConvertFrom-Csv }
        $wire = [System.Collections.Generic.List[object]]::new()
        # Submits seen after each row: the bad row adds none.
        $out = $rows | Send-Row -Submits 1, 1, 2, 3 -Wire $wire |
            New-GptImage -ErrorVariable rowErrors -ErrorAction SilentlyContinue
        $wire | ForEach-Object { "$(Get-Field $_ size)/$(Get-Field $_ quality)" } | Should -Be '1536*1024/high', '1024*1536/low', '/'
        $wire[2].PSObject.Properties.Name | Should -Not -Contain 'size'
        $rowErrors | Should -HaveCount 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidParameter*'
        $rowErrors[0].TargetObject.Prompt | Should -Be 'bad'
        $rowErrors[0].TargetObject.Size | Should -Be '7x7'
        $out.Prompt | Should -Be 'wide', 'tall', 'plain'
        $out | ForEach-Object { "$($_.Size)/$($_.Quality)" } | Should -Be '1536x1024/high', '1024x1536/low', '1024x1024/medium'
    }

    It 'keeps a value given on the command line for every row, and a row''s value does not leak into the next row' {
        $wire = [System.Collections.Generic.List[object]]::new()
        $rows = [pscustomobject]@{ Prompt = 'one'; Size = '1536x1024' }, [pscustomobject]@{ Prompt = 'two' }
        $null = $rows | Send-Row -Submits 1, 2 -Wire $wire | New-GptImage -Quality low
        $wire | ForEach-Object { "$(Get-Field $_ size)/$(Get-Field $_ quality)" } | Should -Be '1536*1024/low', '/low'
    }

    It 'saves each row to its own OutFile' {
        $rows = "Prompt,OutFile`na,$(Join-Path $TestDrive 'a.png')`nb,$(Join-Path $TestDrive 'b.png')" | ConvertFrom-Csv
        $out = $rows | New-GptImage
        $out.Files.Name | Sort-Object | Should -Be 'a.png', 'b.png'
    }
}

Describe 'Edit-GptImage with CSV rows' {
    It 'takes each row''s file, prompt and size' {
        $a = New-TestPng -Path (Join-Path $TestDrive 'a.png')
        $b = New-TestPng -Path (Join-Path $TestDrive 'b.png')
        $rows = "Path,Prompt,Size`n$a,pastel,1536x1024`n$b,noir,9x9" | ConvertFrom-Csv
        $out = $rows | Edit-GptImage -Wait -ErrorVariable rowErrors -ErrorAction SilentlyContinue
        $out.Prompt | Should -Be 'pastel'
        $out.Size | Should -Be '1536x1024'
        $rowErrors | Should -HaveCount 1
        $rowErrors[0].TargetObject.Prompt | Should -Be 'noir'
    }
}

Describe 'Completion follows the model and provider typed' {
    BeforeAll {
        function Get-Completion([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
    }

    It 'offers no auto size or quality for the default model on WaveSpeed' {
        Get-Completion 'New-GptImage -Size ' | Should -Be '1024x1024', '1024x1536', '1536x1024'
        Get-Completion 'New-GptImage -Quality ' | Should -Be 'low', 'medium', 'high'
    }

    It 'offers what the model typed takes' {
        Get-Completion 'New-GptImage -Model gpt-image-1.5 -Size ' | Should -Contain 'auto'
        Get-Completion 'New-GptImage -Provider OpenAI -Quality ' | Should -Contain 'auto'
        Get-Completion 'New-GptImage -Provider OpenAI -OutputFormat ' | Should -Be 'png', 'jpeg', 'webp'
    }
}
