"""The bundled sample corpus: three news stories in three formats."""
