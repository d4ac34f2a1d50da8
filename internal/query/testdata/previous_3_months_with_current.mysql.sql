SELECT DATE_FORMAT(`source`.`paid_at`, '%Y-%m-01') AS `paid_at`, COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (`source`.`paid_at` >= ? AND `source`.`paid_at` < ?) GROUP BY 1 ORDER BY 1 ASC
-- args: ["2024-03-01 00:00:00","2024-07-01 00:00:00"]
