// Callers of the linter handle sources and positions; they should not need a second import.
@_exported import YAMLSource
