"""The documents: render contexts, Word rendering with docxtpl, and PDF copies with LibreOffice."""
