SELECT count(*) AS n FROM invoices WHERE status = ? 
-- args: ["Paid"]
