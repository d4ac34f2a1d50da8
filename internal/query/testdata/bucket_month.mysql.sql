SELECT DATE_FORMAT(`source`.`paid_at`, '%Y-%m-01') AS `paid_at`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
