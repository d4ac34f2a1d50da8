SELECT `source`.`id` AS `id`, `source`.`date_received` AS `date_received` FROM `invoices` AS `source` WHERE ((`source`.`date_received` >= ? AND `source`.`date_received` < ?)) ORDER BY `source`.`id` ASC
-- args: ["2024-03-01","2024-04-01"]
