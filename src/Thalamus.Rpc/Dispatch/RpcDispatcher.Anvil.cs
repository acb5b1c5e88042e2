using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

// anvil's and geth's pool and raw-transaction methods, with their result shapes.
public sealed partial class RpcDispatcher
{
    /// <summary>txpool_status: <c>{pending, queued}</c> as quantities (geth, anvil).</summary>
    private void PoolStatus(Utf8JsonWriter w)
    {
        var (pending, queued) = Backend.GetPoolContent();
        w.WriteStartObject();
        w.WriteString("pending", "0x" + pending.Values.Sum(list => list.Count).ToString("x", CultureInfo.InvariantCulture));
        w.WriteString("queued", "0x" + queued.Values.Sum(list => list.Count).ToString("x", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>
    /// txpool_content: <c>{pending: {sender: {nonce: transaction}}, queued: …}</c>; txpool_inspect the
    /// same with geth's one-line summaries (<c>"0xTo: 1 wei + 21000 gas × 2 wei"</c>).
    /// </summary>
    private void PoolContent(Utf8JsonWriter w, bool inspect)
    {
        var (pending, queued) = Backend.GetPoolContent();
        var baseFee = Backend.NextBaseFee();
        w.WriteStartObject();
        foreach (var (name, group) in new[] { ("pending", pending), ("queued", queued) })
        {
            w.WriteStartObject(name);
            foreach (var (sender, transactions) in group)
            {
                w.WriteStartObject(sender.ToChecksumString());
                foreach (var pooled in transactions)
                {
                    var tx = pooled.Transaction;
                    var nonce = tx.Nonce.ToString(CultureInfo.InvariantCulture);
                    if (!inspect)
                    {
                        w.WritePropertyName(nonce);
                        EthJsonWriter.WriteTransaction(w, tx, null, baseFee);
                        continue;
                    }
                    var to = tx.To is { } address ? address.ToChecksumString() : "contract creation";
                    var price = tx.Type is TxType.Legacy or TxType.AccessList ? tx.GasPrice : tx.MaxFeePerGas;
                    w.WriteString(nonce, $"{to}: {tx.Value} wei + {tx.GasLimit} gas × {price} wei");
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>anvil_dropTransaction(hash): the hash when a pooled transaction was removed, else null.</summary>
    private void DropTransaction(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("transactionHash");
        p.End();
        if (Backend.DropTransaction(hash)) w.WriteHash(hash);
        else w.WriteNullValue();
    }

    /// <summary>eth_getRawTransactionByHash: the signed transaction's bytes (typed envelope), mined or pooled; null when unknown.</summary>
    private void GetRawTransactionByHash(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("transactionHash");
        p.End();
        if (Backend.GetTransaction(hash) is { } found) w.WriteData(found.Transaction.Encode());
        else w.WriteNullValue();
    }
}
