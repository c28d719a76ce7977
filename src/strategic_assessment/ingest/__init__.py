"""The only code that opens input files: the crime workbook and the workshop workbooks."""
