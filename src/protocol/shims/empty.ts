/** Browser stand-in for otr's optional `webworker-threads`, which we never use. */
export default {};
