SELECT CONCAT(YEAR(`source`.`paid_at`), '-', LPAD(QUARTER(`source`.`paid_at`) * 3 - 2, 2, '0'), '-01') AS `paid_at`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
