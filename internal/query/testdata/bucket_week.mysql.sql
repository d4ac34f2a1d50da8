SELECT DATE_FORMAT(DATE_SUB(`source`.`paid_at`, INTERVAL (DAYOFWEEK(`source`.`paid_at`) - 1) DAY), '%Y-%m-%d') AS `paid_at`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
