module local.invalid/gotemplate

go 1.26.0
