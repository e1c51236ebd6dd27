"""Report documents: what each report type contains and how it is written (CSV, XLSX, zip)."""
