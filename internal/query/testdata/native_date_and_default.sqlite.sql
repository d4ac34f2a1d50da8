SELECT count(*) AS n FROM invoices WHERE date_received >= ? AND account_id IN (?, ?, ?)
-- args: ["2024-01-01",1,2,3]
