SELECT `source`.`id` AS `id` FROM `invoices` AS `source` WHERE ((`source`.`paid_at` >= ? AND `source`.`paid_at` < ?)) ORDER BY `source`.`id` ASC
-- args: ["2023-02-20 00:00:00","2023-02-21 00:00:00"]
