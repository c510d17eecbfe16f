-- One- and two-character searches on a large queue. When a fragment matches many
-- orders, the list walks the orders in their own order and asks, order by order,
-- whether it has a gram starting with the fragment: that question needs the grams of one
-- order in gram order. The old index (order_id alone) made each question read every
-- gram row of the order from the table.
CREATE INDEX search_grams_order_gram ON search_grams (order_id, gram);
DROP INDEX search_grams_order;
